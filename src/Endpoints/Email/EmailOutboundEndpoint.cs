using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MailKit;
using Envelope = Router.Core.Messages.Envelope;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Notifications;
using Router.Transformers.Templates;
using Serilog;

namespace Router.Endpoints.Email;

/// <summary>
/// Sends <c>notification.requested</c> (channel email) over SMTP with MailKit: STARTTLS or implicit TLS, AUTH, one
/// message per notification to all its recipients, each recipient claimed before the send. 4xx answers are
/// transient, 5xx permanent; a recipient refused with 5xx is refused for good while the others still get it.
/// </summary>
public sealed class EmailOutboundEndpoint : IOutboundEndpoint
{
    public const string PlanKind = "email";
    private const string KindName = "email";

    private readonly EmailOptions options;
    private readonly NotificationTemplates templates;
    private readonly EndpointServices services;
    private readonly SendClaims claims;
    private readonly ILogger logger;
    private readonly X509Certificate2? trusted;

    public EmailOutboundEndpoint(string id, EmailOptions options, NotificationTemplates templates, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.templates = templates;
        this.services = services;
        claims = new SendClaims(services.Records, id, services.Clock);
        logger = services.Logger.ForContext<EmailOutboundEndpoint>().ForContext("EndpointId", id);
        trusted = options.TrustedCertificate;
    }

    public string Id { get; }

    /// <summary>The same for every retry and replay of a delivery, so receivers and their deduplication see one message.</summary>
    public static string MessageIdFor(string idempotencyKey, string domain) =>
        $"{MessageIds.DeterministicGuid("email\n" + idempotencyKey):N}@{domain}";

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        var notification = NotificationRequests.Read(envelope, NotificationChannel.Email, KindName);
        var recipients = new List<string>();
        var invalid = new List<InvalidRecipient>();
        foreach (var recipient in NotificationRequests.SplitRecipients(notification.Recipient))
        {
            if (MailboxAddress.TryParse(recipient, out var mailbox) && mailbox.Address.Contains('@'))
            {
                if (!recipients.Contains(mailbox.Address, StringComparer.OrdinalIgnoreCase))
                {
                    recipients.Add(mailbox.Address);
                }
            }
            else
            {
                invalid.Add(new InvalidRecipient(recipient, "not an e-mail address"));
            }
        }
        if (recipients.Count == 0)
        {
            throw new PermanentFailureException("invalid-address", $"message {envelope.MessageId}: no e-mail address to send to in '{notification.Recipient}'");
        }
        var rendered = TemplateDirectory.Render(() =>
            templates.RenderEmail(notification.Template, NotificationRequests.TemplateData(notification), notification.Subject));
        var body = new EmailPlanBody(options.From.ToString(), recipients, rendered.Subject, MessageIdFor(context.IdempotencyKey, options.MessageIdDomain),
            notification.Template, rendered.Text, rendered.Html, invalid);
        return new DeliveryPlan
        {
            Kind = PlanKind,
            Method = "SMTP",
            Target = options.DisplayTarget,
            ContentType = "application/json; charset=utf-8",
            Body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, RouterJson.Indented)),
        };
    }

    public async Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        if (plan.Kind != PlanKind)
        {
            throw new ArgumentException($"an email endpoint cannot carry out a '{plan.Kind}' plan", nameof(plan));
        }
        var body = JsonSerializer.Deserialize<EmailPlanBody>(plan.Body, RouterJson.Options)
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, "the email plan has no body");
        var receipt = await ClaimedSend.RunAsync(claims, context, "e-mail", options.DisplayTarget, body.To, body.Invalid ?? [],
            (recipients, ct) => SendAsync(body, recipients, ct),
            outcomes => outcomes.Select(o => o.Code).FirstOrDefault(c => c is { Length: > 0 } && c != "invalid") is { } code ? "smtp-" + code : "invalid-address",
            cancellationToken);
        logger.Information("Sent {Template} e-mail {MessageId} for {Leg}: {Receipt}", body.Template, body.MessageId, context.Leg, receipt.Detail);
        return receipt;
    }

    private MimeMessage Compose(EmailPlanBody body)
    {
        var message = new MimeMessage
        {
            MessageId = body.MessageId,
            Subject = body.Subject,
            Date = services.Clock.GetUtcNow(),
        };
        message.From.Add(MailboxAddress.Parse(body.From));
        message.To.AddRange(body.To.Select(MailboxAddress.Parse));
        var builder = new BodyBuilder { TextBody = body.Text, HtmlBody = body.Html };
        message.Body = builder.ToMessageBody();
        return message;
    }

    private async Task<IReadOnlyList<RecipientOutcome>> SendAsync(EmailPlanBody body, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var message = Compose(body);
        if (options.PickupDirectory is { } pickup)
        {
            return await DropAsync(message, pickup, body.MessageId, recipients, cancellationToken);
        }
        var host = options.Host ?? throw new InvalidOperationException($"email endpoint '{Id}' has neither 'host' nor 'pickupDirectory' (validation checks this)");
        using var client = new RecipientTrackingSmtpClient();
        if (trusted is not null)
        {
            client.ServerCertificateValidationCallback = TrustConfiguredCertificate;
        }
        string what = options.DisplayTarget;
        try
        {
            await client.ConnectAsync(host, options.Port, options.SocketOptions, cancellationToken);
            if (options.User is { } user)
            {
                await client.AuthenticateAsync(user, options.Password ?? "", cancellationToken);
            }
            var envelopeRecipients = recipients.Select(r => new MailboxAddress("", r)).ToList();
            var answer = await client.SendAsync(FormatOptions.Default, message, options.From, envelopeRecipients, cancellationToken, client);
            await DisconnectQuietlyAsync(client);
            var outcomes = new List<RecipientOutcome>();
            foreach (var mailbox in client.Accepted)
            {
                outcomes.Add(new RecipientOutcome(mailbox.Address, RecipientVerdict.Sent, body.MessageId, "250", answer));
            }
            outcomes.AddRange(client.Refused.Select(Refusal));
            return outcomes;
        }
        catch (NoRecipientAcceptedException)
        {
            await DisconnectQuietlyAsync(client);
            return client.Refused.Select(Refusal).ToList();
        }
        catch (SmtpCommandException ex)
        {
            await DisconnectQuietlyAsync(client);
            var status = (int)ex.StatusCode;
            var text = $"{what}: {Stage(ex.ErrorCode)} answered {status} {ex.Message}";
            if (status is >= 400 and < 500)
            {
                throw new TransientFailureException(text, ex);
            }
            throw new PermanentFailureException($"smtp-{status}", text, ex);
        }
        catch (AuthenticationException ex)
        {
            throw new PermanentFailureException("smtp-auth", $"{what}: login as '{options.User}' refused: {ex.Message}", ex);
        }
        catch (SslHandshakeException ex)
        {
            throw new PermanentFailureException("smtp-tls", $"{what}: TLS handshake failed (is the server's certificate trusted? see 'trustedCertificate'): {ex.Message}", ex);
        }
        catch (NotSupportedException ex)
        {
            // STARTTLS or AUTH asked for but not offered: a configuration mismatch no retry fixes.
            throw new PermanentFailureException("smtp-unsupported", $"{what}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or OperationCanceledException or ServiceNotConnectedException)
        {
            if (client.MessageFullyWritten)
            {
                // The final dot may have arrived; the server may have queued the message and its answer been lost.
                throw new SendOutcomeUnknownException($"{what}: the connection failed after the whole message was sent and before the server answered: {ex.Message}", ex);
            }
            throw new TransientFailureException($"{what}: {(ex is OperationCanceledException ? "no answer before the attempt was cancelled (timeout)" : ex.Message)} (the message was not sent)", ex);
        }
    }

    /// <summary>
    /// Writes the message under a temporary name, then renames it, so a pickup agent never reads half a file; the
    /// name is the stable Message-ID, so a repeat replaces the same file rather than adding a second message.
    /// </summary>
    private async Task<IReadOnlyList<RecipientOutcome>> DropAsync(MimeMessage message, string folder, string messageId, IReadOnlyList<string> recipients,
        CancellationToken cancellationToken)
    {
        message.To.Clear();
        message.To.AddRange(recipients.Select(r => new MailboxAddress("", r)));
        var fileSystem = services.FileSystem;
        var name = messageId.Replace('@', '_') + ".eml";
        var target = fileSystem.Path.Combine(folder, name);
        var temporary = fileSystem.Path.Combine(folder, "." + name + ".tmp");
        try
        {
            fileSystem.Directory.CreateDirectory(folder);
            await using (var stream = fileSystem.File.Create(temporary))
            {
                await message.WriteToAsync(FormatOptions.Default, stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
            fileSystem.File.Move(temporary, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TransientFailureException($"{options.DisplayTarget}: cannot write {name}: {ex.Message}", ex);
        }
        return recipients.Select(r => new RecipientOutcome(r, RecipientVerdict.Sent, messageId, "pickup", target)).ToList();
    }

    private static RecipientOutcome Refusal((MailboxAddress Mailbox, SmtpResponse Response) refusal)
    {
        var status = (int)refusal.Response.StatusCode;
        var verdict = status is >= 400 and < 500 ? RecipientVerdict.Retry : RecipientVerdict.Rejected;
        return new RecipientOutcome(refusal.Mailbox.Address, verdict, null, status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            refusal.Response.Response);
    }

    private static string Stage(SmtpErrorCode code) => code switch
    {
        SmtpErrorCode.SenderNotAccepted => "MAIL FROM",
        SmtpErrorCode.RecipientNotAccepted => "RCPT TO",
        SmtpErrorCode.MessageNotAccepted => "DATA",
        _ => "the server",
    };

    private static async Task DisconnectQuietlyAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await client.DisconnectAsync(true, quit.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or SmtpProtocolException or SmtpCommandException)
        {
            // The message's fate is already known; a QUIT that fails changes nothing.
        }
    }

    private bool TrustConfiguredCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        // Only the named certificate is trusted in addition to the system's; the host name must still match.
        return certificate is not null && trusted is not null
            && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
            && string.Equals(certificate.GetCertHashString(), trusted.Thumbprint, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>What an email plan carries: the message as it will be composed (the Date header is set at sending).</summary>
public sealed record EmailPlanBody(string From, IReadOnlyList<string> To, string Subject, string MessageId, string Template,
    string? Text, string? Html, IReadOnlyList<InvalidRecipient>? Invalid);
