using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace Router.Endpoints.Email;

/// <summary>
/// MailKit's client, told not to give up on the first refused recipient: each RCPT TO answer is recorded, and the
/// message goes to those accepted. Also tracks how far the DATA transfer got, which decides whether a broken
/// connection means "not sent" or "unknown".
/// </summary>
internal sealed class RecipientTrackingSmtpClient : SmtpClient, ITransferProgress
{
    private long totalBytes = -1;
    private long sentBytes;

    public List<(MailboxAddress Mailbox, SmtpResponse Response)> Refused { get; } = [];

    public List<MailboxAddress> Accepted { get; } = [];

    /// <summary>Every byte of the message was handed to the connection: the final dot may have reached the server.</summary>
    public bool MessageFullyWritten => totalBytes >= 0 && sentBytes >= totalBytes;

    /// <summary>Part of the message was written (DATA was accepted).</summary>
    public bool DataStarted => sentBytes > 0;

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) => Accepted.Add(mailbox);

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) => Refused.Add((mailbox, response));

    protected override void OnNoRecipientsAccepted(MimeMessage message) =>
        throw new NoRecipientAcceptedException();

    public void Report(long bytesTransferred, long totalSize)
    {
        totalBytes = totalSize;
        sentBytes = bytesTransferred;
    }

    public void Report(long bytesTransferred) => sentBytes = bytesTransferred;
}

/// <summary>Every RCPT TO was refused: no message was transferred.</summary>
internal sealed class NoRecipientAcceptedException : Exception
{
    public NoRecipientAcceptedException()
        : base("no recipient was accepted")
    {
    }
}
