using Router.Core.Expressions;

namespace Router.Transformers.SetHeader;

/// <summary>One header to set: a constant, or an expression evaluated per message.</summary>
internal sealed record HeaderValue(string Name, string? Constant, MessageExpression? Expression);
