using System.Text;
using System.Text.Json;
using Router.Core.Expressions;
using Router.Core.Messages;

namespace Router.Transformers.Map;

/// <summary>
/// Text with embedded expressions: <c>Заказ №{$.number} от {$.date}</c>. A placeholder runs to the first <c>}</c> that
/// closes a valid expression, so <c>{ $.lines.map(l =&gt; ({ sku: l.sku })).length }</c> works too; <c>{{</c> and
/// <c>}}</c> are literal braces. A missing value renders as empty text.
/// </summary>
internal sealed class FormatTemplate
{
    private readonly IReadOnlyList<Part> parts;

    private FormatTemplate(string source, IReadOnlyList<Part> parts)
    {
        Source = source;
        this.parts = parts;
    }

    public string Source { get; }

    /// <summary>Throws <see cref="FormatException"/> describing the first problem, with its column in <paramref name="text"/>.</summary>
    public static FormatTemplate Parse(string text)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '{' && At(text, i + 1, '{') || c == '}' && At(text, i + 1, '}'))
            {
                literal.Append(c);
                i += 2;
            }
            else if (c == '}')
            {
                throw new FormatException($"a '}}' at column {i + 1} closes nothing; write '}}}}' for a literal brace");
            }
            else if (c == '{')
            {
                if (literal.Length > 0)
                {
                    parts.Add(new Literal(literal.ToString()));
                    literal.Clear();
                }
                var (expression, end) = ReadPlaceholder(text, i);
                parts.Add(new Placeholder(expression));
                i = end + 1;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }
        if (literal.Length > 0)
        {
            parts.Add(new Literal(literal.ToString()));
        }
        return new FormatTemplate(text, parts);
    }

    public IEnumerable<MessageExpression> Expressions => parts.OfType<Placeholder>().Select(p => p.Expression);

    /// <summary>Renders the text; <paramref name="firstMissing"/> names the first placeholder that gave nothing.</summary>
    public string Render(MessageScope scope, out MessageExpression? firstMissing)
    {
        firstMissing = null;
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            switch (part)
            {
                case Literal literal:
                    text.Append(literal.Text);
                    break;
                case Placeholder placeholder:
                    var value = placeholder.Expression.EvaluateElement(scope);
                    if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
                    {
                        firstMissing ??= placeholder.Expression;
                    }
                    else
                    {
                        text.Append(value.ValueKind == JsonValueKind.String
                            ? value.GetString()
                            : value.ValueKind is JsonValueKind.Object or JsonValueKind.Array
                                ? JsonSerializer.Serialize(value, RouterJson.Options)
                                : value.GetRawText());
                    }
                    break;
            }
        }
        return text.ToString();
    }

    private static (MessageExpression Expression, int End) ReadPlaceholder(string text, int open)
    {
        ExpressionSyntaxException? firstError = null;
        for (var close = text.IndexOf('}', open + 1); close >= 0; close = text.IndexOf('}', close + 1))
        {
            if (MessageExpression.TryCompile(text[(open + 1)..close], out var expression, out var error))
            {
                return (expression!, close);
            }
            firstError ??= error;
        }
        if (firstError is null)
        {
            throw new FormatException($"the '{{' at column {open + 1} is never closed; write '{{{{' for a literal brace");
        }
        throw new FormatException($"the placeholder at column {open + 1}: {firstError.Message}");
    }

    private static bool At(string text, int index, char c) => index < text.Length && text[index] == c;

    private abstract record Part;

    private sealed record Literal(string Text) : Part;

    private sealed record Placeholder(MessageExpression Expression) : Part;
}
