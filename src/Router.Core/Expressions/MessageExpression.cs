using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jint;
using Jint.Native;
using Router.Core.Failures;

namespace Router.Core.Expressions;

/// <summary>
/// An expression over a message, as written in the YAML (<c>messageId: $.number</c>, <c>when: "$.total &gt; 0"</c>).
/// Plain paths (<c>$.a.b[0]</c>, <c>$['Наименование']</c>) are walked directly over the JSON: null-safe (a missing
/// part gives null) and exact for decimals. Anything else is JavaScript (ES2023, via Jint) with <c>$</c> bound to the
/// payload and <c>envelope</c>, <c>headers</c> to the envelope; there, use <c>?.</c> for parts that may be missing.
/// </summary>
public sealed partial class MessageExpression
{
    private static readonly Options EngineOptions = CreateEngineOptions();

    [ThreadStatic]
    private static Engine? threadEngine;

    private readonly IReadOnlyList<PathSegment>? path;
    private readonly Prepared<Acornima.Ast.Script>? script;

    private MessageExpression(string source, IReadOnlyList<PathSegment>? path, Prepared<Acornima.Ast.Script>? script)
    {
        Source = source;
        this.path = path;
        this.script = script;
    }

    public string Source { get; }

    /// <summary>True for plain paths: no JavaScript engine involved.</summary>
    public bool IsPath => path is not null;

    public override string ToString() => Source;

    /// <summary>Parses an expression; throws <see cref="ExpressionSyntaxException"/> naming the column of the problem.</summary>
    public static MessageExpression Compile(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var trimmed = source.Trim();
        if (trimmed.Length == 0)
        {
            throw new ExpressionSyntaxException(source, "the expression is empty", 1, 1);
        }
        if (TryParsePath(trimmed, out var segments))
        {
            return new MessageExpression(trimmed, segments, null);
        }
        try
        {
            // Parenthesised so an object literal is an expression and a statement list is rejected.
            var prepared = Engine.PrepareScript("(" + trimmed + "\n)", strict: true);
            return new MessageExpression(trimmed, null, prepared);
        }
        catch (Acornima.ParseErrorException e)
        {
            throw SyntaxError(trimmed, e);
        }
        catch (ScriptPreparationException e) when (e.InnerException is Acornima.ParseErrorException parseError)
        {
            throw SyntaxError(trimmed, parseError);
        }
    }

    private static ExpressionSyntaxException SyntaxError(string expression, Acornima.ParseErrorException e)
    {
        // The script was wrapped in "(" … ")": shift the column back to the user's text.
        var column = e.LineNumber == 1 ? Math.Max(1, e.Column) : e.Column;
        return new ExpressionSyntaxException(expression, e.Description, e.LineNumber, column);
    }

    public static bool TryCompile(string source, out MessageExpression? expression, out ExpressionSyntaxException? error)
    {
        try
        {
            expression = Compile(source);
            error = null;
            return true;
        }
        catch (ExpressionSyntaxException e)
        {
            expression = null;
            error = e;
            return false;
        }
    }

    /// <summary>Evaluates to a JSON value; null for null, undefined or a missing path.</summary>
    public JsonNode? Evaluate(MessageScope scope)
    {
        if (path is not null)
        {
            var element = Walk(scope.Payload, path);
            return element is { } e ? JsonSerializer.SerializeToNode(e) : null;
        }
        return ToNode(EvaluateScript(scope));
    }

    /// <summary>Evaluates to the value as a JsonElement (undefined kind when missing); no copy for plain paths.</summary>
    public JsonElement EvaluateElement(MessageScope scope)
    {
        if (path is not null)
        {
            return Walk(scope.Payload, path) ?? default;
        }
        var node = ToNode(EvaluateScript(scope));
        return node is null ? default : JsonSerializer.SerializeToElement(node);
    }

    /// <summary>JavaScript truthiness for scripts; for a plain path, present and not null/false/empty/0.</summary>
    public bool IsTrue(MessageScope scope)
    {
        if (path is not null)
        {
            return Walk(scope.Payload, path) is { } e && e.ValueKind switch
            {
                JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined => false,
                JsonValueKind.String => e.GetString()!.Length > 0,
                JsonValueKind.Number => e.GetDouble() != 0,
                _ => true,
            };
        }
        return Jint.Runtime.TypeConverter.ToBoolean(EvaluateScript(scope));
    }

    /// <summary>The value as text (numbers in invariant form); null when missing or null.</summary>
    public string? EvaluateString(MessageScope scope)
    {
        var element = EvaluateElement(scope);
        return element.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => element.GetRawText(),
        };
    }

    /// <summary>
    /// An entity version: an integer, or a date-time (as Unix milliseconds) so <c>$.changedAt</c> works as a version.
    /// </summary>
    public long? EvaluateVersion(MessageScope scope)
    {
        var element = EvaluateElement(scope);
        switch (element.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when element.TryGetInt64(out var n):
                return n;
            case JsonValueKind.Number when element.TryGetDecimal(out var d) && decimal.Truncate(d) == d:
                return (long)d;
            case JsonValueKind.String:
                var text = element.GetString()!;
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    return at.ToUnixTimeMilliseconds();
                }
                break;
        }
        throw new PermanentFailureException(ErrorCodes.ExpressionFailed,
            $"version expression '{Source}' gave {element.GetRawText()}, which is neither an integer nor a date-time");
    }

    private JsValue EvaluateScript(MessageScope scope)
    {
        var engine = threadEngine ??= new Engine(EngineOptions);
        var (payload, envelope) = scope.ValuesFor(engine);
        engine.SetValue("$", payload);
        engine.SetValue("envelope", envelope);
        engine.SetValue("headers", envelope.IsUndefined() ? JsValue.Undefined : envelope.AsObject().Get("headers"));
        try
        {
            var prepared = script!.Value;
            return engine.Evaluate(in prepared);
        }
        catch (Jint.Runtime.JavaScriptException e)
        {
            throw new PermanentFailureException(ErrorCodes.ExpressionFailed, $"expression '{Source}' failed: {e.Message}", e);
        }
        catch (Exception e) when (e is JintException or TimeoutException)
        {
            throw new PermanentFailureException(ErrorCodes.ExpressionFailed, $"expression '{Source}' failed: {e.Message}", e);
        }
    }

    private static Options CreateEngineOptions()
    {
        var options = new Options();
        // Expressions are configuration, not programs: bound their cost so a mistake cannot stall a route.
        options.TimeoutInterval(TimeSpan.FromSeconds(2));
        options.MaxStatements(10_000);
        options.LimitRecursion(64);
        options.Strict = true;
        options.Culture = CultureInfo.InvariantCulture;
        return options;
    }

    private static JsonNode? ToNode(JsValue value)
    {
        if (value.IsNull() || value.IsUndefined())
        {
            return null;
        }
        if (value.IsBoolean())
        {
            return JsonValue.Create(value.AsBoolean());
        }
        if (value.IsNumber())
        {
            var number = value.AsNumber();
            if (double.IsNaN(number) || double.IsInfinity(number))
            {
                return null;
            }
            if (Math.Abs(number) < 9e15 && Math.Floor(number) == number)
            {
                return JsonValue.Create((long)number);
            }
            // Shortest round-trip text, so 1234.56 stays 1234.56 and not 1234.5599999999999.
            return JsonValue.Create(decimal.Parse(number.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        if (value.IsString())
        {
            return JsonValue.Create(value.AsString());
        }
        if (value.IsDate())
        {
            return JsonValue.Create(value.AsDate().ToDateTime().ToString("O", CultureInfo.InvariantCulture));
        }
        if (value.IsArray())
        {
            var array = new JsonArray();
            foreach (var item in value.AsArray())
            {
                array.Add(ToNode(item));
            }
            return array;
        }
        if (value.IsObject())
        {
            var obj = new JsonObject();
            foreach (var property in value.AsObject().GetOwnProperties())
            {
                if (property.Key.IsString() && property.Value.Enumerable)
                {
                    obj[property.Key.AsString()] = ToNode(property.Value.Value);
                }
            }
            return obj;
        }
        return JsonValue.Create(value.ToString());
    }

    private abstract record PathSegment;

    private sealed record PropertySegment(string Name) : PathSegment;

    private sealed record IndexSegment(int Index) : PathSegment;

    [GeneratedRegex(@"\G(?:\.(?<name>[\p{L}_$][\p{L}\p{N}_$]*)|\[(?<index>-?\d+)\]|\['(?<quoted>[^']*)'\]|\[""(?<dquoted>[^""]*)""\])", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegmentPattern();

    private static bool TryParsePath(string text, out IReadOnlyList<PathSegment>? segments)
    {
        segments = null;
        if (text[0] != '$')
        {
            return false;
        }
        var list = new List<PathSegment>();
        var position = 1;
        var pattern = PathSegmentPattern();
        while (position < text.Length)
        {
            var match = pattern.Match(text, position);
            if (!match.Success || match.Index != position)
            {
                return false;
            }
            if (match.Groups["name"].Success)
            {
                list.Add(new PropertySegment(match.Groups["name"].Value));
            }
            else if (match.Groups["index"].Success)
            {
                list.Add(new IndexSegment(int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture)));
            }
            else
            {
                list.Add(new PropertySegment(match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["dquoted"].Value));
            }
            position += match.Length;
        }
        segments = list;
        return true;
    }

    private static JsonElement? Walk(JsonElement root, IReadOnlyList<PathSegment> segments)
    {
        var current = root;
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case PropertySegment p when current.ValueKind == JsonValueKind.Object && current.TryGetProperty(p.Name, out var next):
                    current = next;
                    break;
                case IndexSegment i when current.ValueKind == JsonValueKind.Array:
                    var length = current.GetArrayLength();
                    var index = i.Index < 0 ? length + i.Index : i.Index;
                    if (index < 0 || index >= length)
                    {
                        return null;
                    }
                    current = current[index];
                    break;
                default:
                    return null;
            }
        }
        return current.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : current;
    }
}
