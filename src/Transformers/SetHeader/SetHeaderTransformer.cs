using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.SetHeader;

/// <summary>
/// Sets envelope headers. An expression that gives nothing sets nothing, so an existing header of that name is
/// kept; numbers are written as in JSON, objects and lists as JSON text.
/// </summary>
internal sealed class SetHeaderTransformer(IReadOnlyList<HeaderValue> headers) : ITransformer
{
    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        var scope = MessageScope.Of(input);
        var result = new Dictionary<string, string>(input.Headers, StringComparer.Ordinal);
        foreach (var header in headers)
        {
            var value = header.Constant ?? Evaluate(header, scope);
            if (value is null)
            {
                continue;
            }
            // Headers travel on to HTTP and AMQP; a line break there would split or forge a header.
            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new PermanentFailureException(ErrorCodes.MalformedInput,
                    $"set-header: {header.Name} from {header.Expression} would contain a line break");
            }
            result[header.Name] = value;
        }
        return [input with { Headers = result }];
    }

    private static string? Evaluate(HeaderValue header, MessageScope scope)
    {
        try
        {
            return header.Expression!.EvaluateString(scope);
        }
        catch (PermanentFailureException e)
        {
            throw new PermanentFailureException(e.Code, $"set-header: {header.Name}: {e.Message}", e);
        }
    }
}
