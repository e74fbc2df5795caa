namespace Router.Endpoints.Notifications;

/// <summary>
/// The request may have reached the gateway but no answer came back (a timeout, a dropped connection after the
/// request was written): the message may or may not have gone out. Distinct from a transient failure, after which
/// the gateway certainly did not send and the claim can be released.
/// </summary>
public sealed class SendOutcomeUnknownException : Exception
{
    public SendOutcomeUnknownException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
