using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Router.Core.Expressions;

/// <summary>
/// A plain path over the message: <c>$</c> or <c>$root</c>, then any of <c>.name</c>, <c>[index]</c> (negative counts
/// from the end), <c>['quoted name']</c> or <c>["quoted name"]</c> (backslash escapes <c>\'</c>, <c>\"</c>, <c>\\</c>).
/// Names may use any letters, so <c>$.Товар.Наименование</c> is a path. Walking is null-safe (a missing step gives
/// nothing) and copies nothing, so numbers keep their exact text. As in JavaScript, <c>.length</c> of a list or text
/// is its length.
/// </summary>
internal sealed class MessagePath
{
    private const string RootPrefix = "$root";

    private readonly IReadOnlyList<Step> steps;

    private MessagePath(bool fromRoot, IReadOnlyList<Step> steps)
    {
        FromRoot = fromRoot;
        this.steps = steps;
    }

    /// <summary>True for <c>$root…</c>: walks the whole payload even inside a nested scope.</summary>
    public bool FromRoot { get; }

    /// <summary>Returns null when the text is not a plain path (it is then JavaScript, or a mistake the JS parser reports).</summary>
    public static MessagePath? TryParse(string text)
    {
        int position;
        bool fromRoot;
        if (text.StartsWith(RootPrefix, StringComparison.Ordinal) && !IsNamePart(text, RootPrefix.Length))
        {
            fromRoot = true;
            position = RootPrefix.Length;
        }
        else if (text.StartsWith('$'))
        {
            fromRoot = false;
            position = 1;
        }
        else
        {
            return null;
        }

        var steps = new List<Step>();
        while (position < text.Length)
        {
            var step = text[position] switch
            {
                '.' => ReadName(text, ref position),
                '[' => ReadBracket(text, ref position),
                _ => null,
            };
            if (step is null)
            {
                return null;
            }
            steps.Add(step);
        }
        return new MessagePath(fromRoot, steps);
    }

    public JsonElement? Walk(MessageScope scope) => Walk(FromRoot ? scope.RootPayload : scope.Payload);

    private JsonElement? Walk(JsonElement start)
    {
        var current = start;
        foreach (var step in steps)
        {
            if (step.Next(current) is not { } next)
            {
                return null;
            }
            current = next;
        }
        return current.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : current;
    }

    private static Step? ReadName(string text, ref int position)
    {
        var start = position + 1;
        if (start >= text.Length || !IsNameStart(text[start]))
        {
            return null;
        }
        var end = start + 1;
        while (IsNamePart(text, end))
        {
            end++;
        }
        position = end;
        return new PropertyStep(text[start..end]);
    }

    private static Step? ReadBracket(string text, ref int position)
    {
        var i = SkipSpaces(text, position + 1);
        if (i >= text.Length)
        {
            return null;
        }
        Step step;
        if (text[i] is '\'' or '"')
        {
            if (ReadQuoted(text, ref i) is not { } name)
            {
                return null;
            }
            step = new PropertyStep(name);
        }
        else
        {
            var start = i;
            if (i < text.Length && text[i] == '-')
            {
                i++;
            }
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (!long.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
            {
                return null;
            }
            step = new IndexStep(index);
        }
        i = SkipSpaces(text, i);
        if (i >= text.Length || text[i] != ']')
        {
            return null;
        }
        position = i + 1;
        return step;
    }

    private static string? ReadQuoted(string text, ref int position)
    {
        var quote = text[position];
        var name = new StringBuilder();
        for (var i = position + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote)
            {
                position = i + 1;
                return name.ToString();
            }
            if (c == '\\')
            {
                // Only the escapes a name needs; anything fancier is left to the JavaScript parser.
                if (i + 1 >= text.Length || text[i + 1] is not ('\'' or '"' or '\\'))
                {
                    return null;
                }
                c = text[++i];
            }
            name.Append(c);
        }
        return null;
    }

    private static int SkipSpaces(string text, int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
        return position;
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' or '$';

    private static bool IsNamePart(string text, int index) =>
        index < text.Length && (char.IsLetterOrDigit(text[index]) || text[index] is '_' or '$');

    private abstract record Step
    {
        public abstract JsonElement? Next(JsonElement current);
    }

    private sealed record PropertyStep(string Name) : Step
    {
        public override JsonElement? Next(JsonElement current) => current.ValueKind switch
        {
            JsonValueKind.Object => current.TryGetProperty(Name, out var value) ? value : null,
            // JavaScript's length, so `count: $.items.length` works as a path and stays exact.
            JsonValueKind.Array when Name == "length" => JsonSerializer.SerializeToElement(current.GetArrayLength()),
            JsonValueKind.String when Name == "length" => JsonSerializer.SerializeToElement(current.GetString()!.Length),
            _ => null,
        };
    }

    private sealed record IndexStep(long Index) : Step
    {
        public override JsonElement? Next(JsonElement current)
        {
            if (current.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var length = current.GetArrayLength();
            var index = Index < 0 ? length + Index : Index;
            return index >= 0 && index < length ? current[(int)index] : null;
        }
    }
}
