using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Core.Expressions;

/// <summary>
/// An expression over a message, as written in the YAML (<c>messageId: $.number</c>, <c>when: "$.total &gt; 0"</c>).
/// Plain paths (<c>$.a.b[0]</c>, <c>$.a[-1]</c>, <c>$['Наименование товара']</c>, <c>$root.number</c>) are walked
/// directly over the JSON: null-safe (a missing part gives nothing) and exact for decimals; see <see cref="MessagePath"/>.
/// Anything else is one JavaScript expression (ES2023, via Jint, strict mode) with <c>$</c> bound to the payload,
/// <c>$root</c> to the whole message's payload, and <c>envelope</c>, <c>headers</c> to the envelope; there, use
/// <c>?.</c> for parts that may be missing. Scripts see frozen inputs, no clock and no randomness, and run within
/// <see cref="ExpressionLimits"/>. Compiled expressions are immutable and may be evaluated from any thread.
/// </summary>
public sealed class MessageExpression
{
    private readonly MessagePath? path;
    private readonly CompiledScript? script;

    private MessageExpression(string source, MessagePath? path, CompiledScript? script)
    {
        Source = source;
        this.path = path;
        this.script = script;
    }

    /// <summary>The expression's text, trimmed.</summary>
    public string Source { get; }

    /// <summary>True for plain paths: no JavaScript engine involved.</summary>
    public bool IsPath => path is not null;

    public override string ToString() => Source;

    /// <summary>Parses an expression; throws <see cref="ExpressionSyntaxException"/> naming the line and column in <paramref name="source"/>.</summary>
    public static MessageExpression Compile(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var trimmed = source.Trim();
        if (trimmed.Length == 0)
        {
            throw new ExpressionSyntaxException(source, "the expression is empty", 1, 1);
        }
        if (MessagePath.TryParse(trimmed) is { } parsedPath)
        {
            return new MessageExpression(trimmed, parsedPath, null);
        }
        // The untrimmed text is parsed so that reported columns count from what the user wrote.
        return new MessageExpression(trimmed, null, CompiledScript.Compile(source));
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
            return path.Walk(scope) is { } element ? JsonSerializer.SerializeToNode(element) : null;
        }
        return JsResultConverter.ToNode(EvaluateScript(scope), Source);
    }

    /// <summary>
    /// Evaluates to a JsonElement, of kind <see cref="JsonValueKind.Undefined"/> when missing or null. A plain path
    /// returns the payload's own element: no copy, and a number keeps its exact text (<c>1234.50</c> stays so).
    /// </summary>
    public JsonElement EvaluateElement(MessageScope scope)
    {
        if (path is not null)
        {
            return path.Walk(scope) ?? default;
        }
        var node = JsResultConverter.ToNode(EvaluateScript(scope), Source);
        return node is null ? default : JsonSerializer.SerializeToElement(node);
    }

    /// <summary>JavaScript truthiness: false for missing, null, false, 0, NaN and empty text; true otherwise (also for <c>[]</c> and <c>{}</c>).</summary>
    public bool IsTrue(MessageScope scope)
    {
        if (path is not null)
        {
            return path.Walk(scope) is { } e && e.ValueKind switch
            {
                JsonValueKind.False => false,
                JsonValueKind.String => e.GetString()!.Length > 0,
                JsonValueKind.Number => !e.TryGetDouble(out var number) || number != 0,
                _ => true,
            };
        }
        return Jint.Runtime.TypeConverter.ToBoolean(EvaluateScript(scope));
    }

    /// <summary>The value as text: numbers in their JSON form, objects and lists as JSON; null when missing or null.</summary>
    public string? EvaluateString(MessageScope scope)
    {
        var element = EvaluateElement(scope);
        return element.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String => element.GetString(),
            // Compact whatever the payload's formatting, so the same data always gives the same text.
            JsonValueKind.Object or JsonValueKind.Array => JsonSerializer.Serialize(element, RouterJson.Options),
            _ => element.GetRawText(),
        };
    }

    /// <summary>
    /// An entity version: an integer, or a date-time (as Unix milliseconds) so <c>$.changedAt</c> works as a version.
    /// Null when the value is missing; a <see cref="PermanentFailureException"/> when it is neither.
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
            case JsonValueKind.Number when element.TryGetDecimal(out var d) && decimal.Truncate(d) == d && d is >= long.MinValue and <= long.MaxValue:
                return (long)d;
            case JsonValueKind.String:
                var text = element.GetString()!.Trim();
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
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
        var engine = ExpressionEngine.ForCurrentThread;
        try
        {
            var values = scope.ValuesFor(engine);
            var result = engine.Run(script!, values.Payload, values.Root, values.Envelope, values.Headers);
            RefuseMissingPartsInText(result);
            return result;
        }
        catch (Exception e) when (Explain(e) is { } reason)
        {
            throw new PermanentFailureException(ErrorCodes.ExpressionFailed, $"expression '{Source}' failed: {reason}", e);
        }
    }

    /// <summary>
    /// JavaScript turns a missing field into the text "undefined" when it is joined into a string
    /// (<c>$.number + '-v' + $.version</c>), which would silently become a message id or a key. Text results that
    /// contain "undefined" or "NaN" where the expression itself does not are refused with a clear reason instead.
    /// Only expressions that build text (<c>+</c> or a template literal) are checked: <c>typeof x</c> may say "undefined".
    /// </summary>
    private void RefuseMissingPartsInText(JsValue result)
    {
        if (!result.IsString() || Source.IndexOfAny(['+', '`']) < 0)
        {
            return;
        }
        var text = result.AsString();
        foreach (var marker in MissingMarkers)
        {
            if (text.Contains(marker, StringComparison.Ordinal) && !Source.Contains(marker, StringComparison.Ordinal))
            {
                throw new PermanentFailureException(ErrorCodes.ExpressionFailed,
                    $"expression '{Source}' gave '{(text.Length > 80 ? text[..80] + "…" : text)}': a field it reads is missing from the message " +
                    "(write `$.field ?? 'default'` where a missing field is fine)");
            }
        }
    }

    private static readonly string[] MissingMarkers = ["undefined", "NaN"];

    private static string? Explain(Exception e) => e switch
    {
        Jint.Runtime.JavaScriptException js => js.Message,
        Jint.Runtime.StatementsCountOverflowException =>
            $"it ran more than {ExpressionLimits.MaxStatements} statements (an endless loop?)",
        Jint.Runtime.RecursionDepthOverflowException => $"it nested calls deeper than {ExpressionLimits.MaxCallDepth}",
        Jint.Runtime.MemoryLimitExceededException => $"it used more than {ExpressionLimits.MaxMemoryBytes / (1024 * 1024)} MB",
        TimeoutException => $"it ran longer than {ExpressionLimits.Timeout.TotalSeconds:0.#} s",
        ClockNotAvailableException => e.Message,
        Jint.JintException => e.Message,
        _ => null,
    };
}
