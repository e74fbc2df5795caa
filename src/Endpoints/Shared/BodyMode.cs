namespace Router.Endpoints.Shared;

/// <summary>What an outbound endpoint sends: the canonical payload alone, or the whole envelope.</summary>
public enum BodyMode
{
    Payload,
    Envelope,
}

public static class BodyModes
{
    public const string Payload = "payload";
    public const string Envelope = "envelope";

    public static readonly IReadOnlyList<string> Names = [Payload, Envelope];

    public static BodyMode Parse(string name) => name switch
    {
        Payload => BodyMode.Payload,
        Envelope => BodyMode.Envelope,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "body must be 'payload' or 'envelope'"),
    };
}
