using Router.Core.Expressions;
using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.Filter;

/// <summary>Passes the message on when <c>when</c> is true and <c>unless</c> is false; otherwise drops it (no envelopes).</summary>
internal sealed class FilterTransformer(MessageExpression? when, MessageExpression? unless) : ITransformer
{
    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        var scope = MessageScope.Of(input);
        var keep = (when is null || when.IsTrue(scope)) && (unless is null || !unless.IsTrue(scope));
        return keep ? [input] : [];
    }
}
