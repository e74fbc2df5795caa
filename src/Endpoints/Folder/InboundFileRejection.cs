namespace Router.Endpoints.Folder;

/// <summary>A file that cannot become a message (too large, bad encoding, malformed); the message is shown to people as is.</summary>
public sealed class InboundFileRejection : Exception
{
    public InboundFileRejection(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
