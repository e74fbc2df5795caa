using System.Text.Json;
using Router.Core.Failures;

namespace Router.Endpoints.Boxberry;

/// <summary>How Boxberry words an error inside an HTTP 200.</summary>
public enum BoxberryErrorShape
{
    /// <summary><c>{"err":"text"}</c></summary>
    ErrText,

    /// <summary><c>{"err":true,"message":"text"}</c></summary>
    ErrFlag,

    /// <summary><c>{"error":true,"message":"text"}</c></summary>
    ErrorFlag,

    /// <summary>One of the above inside a list: <c>[{"err":"text"}]</c>.</summary>
    InList,

    /// <summary>Nothing at all, or something that is not JSON (an HTML error page).</summary>
    NotJson,
}

/// <summary>A Boxberry error, with its shape and whether waiting could help.</summary>
public sealed class BoxberryError
{
    public BoxberryError(BoxberryErrorShape shape, string message)
    {
        Shape = shape;
        Message = message;
    }

    public BoxberryErrorShape Shape { get; }
    public string Message { get; }

    /// <summary>ParselCreate's answer to an order_id already used in the cabinet («значение … уже занято»).</summary>
    public bool IsAlreadyTaken => Message.Contains("уже занят", StringComparison.OrdinalIgnoreCase) || Message.Contains("already exists", StringComparison.OrdinalIgnoreCase);

    /// <summary>A parcel or order Boxberry does not know (a look-up's "not found").</summary>
    public bool IsNotFound => Message.Contains("не найден", StringComparison.OrdinalIgnoreCase) || Message.Contains("not found", StringComparison.OrdinalIgnoreCase);

    /// <summary>An empty or non-JSON body comes from trouble on Boxberry's side; a worded error is about the request.</summary>
    public bool IsTransient => Shape == BoxberryErrorShape.NotJson
        || Message.Contains("временно", StringComparison.OrdinalIgnoreCase)
        || Message.Contains("попробуйте позже", StringComparison.OrdinalIgnoreCase);

    public Exception ToException(string what) => IsTransient
        ? new TransientFailureException($"{what}: Boxberry answered {Describe()}")
        : new PermanentFailureException(BoxberryClient.ErrorCode, $"{what}: Boxberry answered {Describe()}");

    public string Describe() => Shape == BoxberryErrorShape.NotJson ? Message : $"an error ({Shape}): {Message}";
}

/// <summary>Reads json.php's answers, every one of which arrives with HTTP 200, errors included.</summary>
public static class BoxberryAnswer
{
    /// <summary>The error in <paramref name="body"/>, or null when it is an answer (including a mutation's <c>{"err":false}</c>).</summary>
    public static BoxberryError? ErrorIn(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new BoxberryError(BoxberryErrorShape.NotJson, "an empty body");
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            var start = body.Trim();
            return new BoxberryError(BoxberryErrorShape.NotJson, "a body that is not JSON: " + (start.Length > 120 ? start[..120] + "…" : start));
        }
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in root.EnumerateArray())
            {
                if (ErrorInObject(element) is { } inner)
                {
                    return new BoxberryError(BoxberryErrorShape.InList, inner.Message);
                }
            }
            return null;
        }
        return ErrorInObject(root);
    }

    private static BoxberryError? ErrorInObject(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var message = element.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (element.TryGetProperty("err", out var err))
        {
            switch (err.ValueKind)
            {
                case JsonValueKind.String when !string.IsNullOrWhiteSpace(err.GetString()):
                    return new BoxberryError(BoxberryErrorShape.ErrText, err.GetString()!);
                case JsonValueKind.True:
                    return new BoxberryError(BoxberryErrorShape.ErrFlag, message ?? "(no message)");
            }
        }
        if (element.TryGetProperty("error", out var error) && (error.ValueKind == JsonValueKind.True || (error.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(error.GetString()))))
        {
            return new BoxberryError(BoxberryErrorShape.ErrorFlag, message ?? (error.ValueKind == JsonValueKind.String ? error.GetString()! : "(no message)"));
        }
        return null;
    }
}
