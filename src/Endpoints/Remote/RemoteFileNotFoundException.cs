using Router.Core.Failures;

namespace Router.Endpoints.Remote;

/// <summary>The file is not there (any more): another poller took it, or a person moved it.</summary>
public sealed class RemoteFileNotFoundException : PermanentFailureException
{
    public const string ErrorCode = "remote-not-found";

    public RemoteFileNotFoundException(string message, Exception? innerException = null)
        : base(ErrorCode, message, innerException)
    {
    }
}
