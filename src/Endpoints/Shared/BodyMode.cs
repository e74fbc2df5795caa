namespace Router.Endpoints.Shared;

/// <summary>What an outbound endpoint sends: the canonical payload alone, the whole envelope, or a text the payload carries.</summary>
public enum BodyMode
{
    Payload,
    Envelope,

    /// <summary>The payload's <c>text</c>, encoded in its <c>encoding</c>: a document a transformer already wrote (CommerceML for 1C).</summary>
    Text,
}

public static class BodyModes
{
    public const string Payload = "payload";
    public const string Envelope = "envelope";
    public const string Text = "text";

    /// <summary>The modes of endpoints that send JSON (HTTP APIs).</summary>
    public static readonly IReadOnlyList<string> Names = [Payload, Envelope];

    /// <summary>The modes of endpoints that write files, which may also carry a finished document as it is.</summary>
    public static readonly IReadOnlyList<string> FileNames = [Payload, Envelope, Text];

    public static BodyMode Parse(string name) => name switch
    {
        Payload => BodyMode.Payload,
        Envelope => BodyMode.Envelope,
        Text => BodyMode.Text,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "body must be 'payload', 'envelope' or 'text'"),
    };
}
