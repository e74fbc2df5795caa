using System.Text.Json;
using MimeKit;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stores;
using Router.Endpoints.Email;
using Router.Endpoints.Notifications;
using Router.Endpoints.Tests.Support;
using Router.Testing;
using static Router.Endpoints.Tests.Notifications.NotificationFixtures;

namespace Router.Endpoints.Tests.Notifications;

/// <summary>
/// The email endpoint against the real aiosmtpd server of scripts/services/smtp.sh (STARTTLS, AUTH, a file per
/// accepted message, faults chosen by the recipient's local part).
/// </summary>
public sealed class EmailEndpointTests
{
    private const string EndpointId = "email";

    private string host = null!;
    private int port;
    private string user = null!;
    private string password = null!;
    private string maildir = null!;
    private string certificate = null!;
    private InMemoryPartnerRecordStore records = null!;

    [OneTimeSetUp]
    public void FindServer()
    {
        host = TestServers.Require("ROUTER_TEST_SMTP_HOST");
        port = int.Parse(TestServers.Require("ROUTER_TEST_SMTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
        user = TestServers.Require("ROUTER_TEST_SMTP_USER");
        password = TestServers.Require("ROUTER_TEST_SMTP_PASSWORD");
        maildir = TestServers.Require("ROUTER_TEST_SMTP_MAILDIR");
        certificate = TestServers.Require("ROUTER_TEST_SMTP_CERT");
    }

    [SetUp]
    public void SetUp() => records = new InMemoryPartnerRecordStore();

    [Test]
    public async Task A_notification_arrives_over_starttls_and_auth_with_a_decodable_cyrillic_subject_and_a_stable_message_id()
    {
        var endpoint = Endpoint();
        var envelope = Unique("anna@example.ru");
        var context = Context(envelope, EndpointId);

        var receipt = await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        var messageId = EmailOutboundEndpoint.MessageIdFor(context.IdempotencyKey, EmailOptions.DefaultMessageIdDomain);
        var (stored, raw, rcptTos) = await StoredAsync(messageId);
        Assert.That(stored.Subject, Is.EqualTo("Заказ №1001 отправлен"));
        Assert.That(raw, Does.Contain("Subject: =?utf-8?"), "the subject travels RFC 2047-encoded");
        Assert.That(stored.From.Mailboxes.Single().Address, Is.EqualTo("shop@example.ru"));
        Assert.That(stored.From.Mailboxes.Single().Name, Is.EqualTo("Магазин"));
        Assert.That(stored.TextBody, Does.Contain("Заказ №1001 передан в службу доставки СДЭК."));
        Assert.That(stored.HtmlBody, Does.Contain("<b>1106207236</b>"));
        Assert.That(rcptTos, Is.EqualTo(new[] { "anna@example.ru" }));
        Assert.That(receipt.Detail, Does.StartWith($"e-mail via smtp://{host}:{port}: sent to anna@example.ru (id {messageId}"));
    }

    [Test]
    public void The_message_id_is_the_same_for_every_attempt_of_a_delivery_and_differs_between_deliveries()
    {
        var endpoint = Endpoint();
        var first = Unique("anna@example.ru");
        var second = Unique("anna@example.ru");

        var once = PlanBody(endpoint, first, Context(first, EndpointId));
        var again = PlanBody(endpoint, first, Context(first, EndpointId, attempt: 3));
        var other = PlanBody(endpoint, second, Context(second, EndpointId));

        Assert.That(again.MessageId, Is.EqualTo(once.MessageId));
        Assert.That(other.MessageId, Is.Not.EqualTo(once.MessageId));
        Assert.That(once.MessageId, Does.Match("^[0-9a-f]{32}@router.local$"));
    }

    [Test]
    public async Task A_redelivery_after_success_sends_nothing()
    {
        var endpoint = Endpoint();
        var envelope = Unique("anna@example.ru");
        var context = Context(envelope, EndpointId);
        await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        var receipt = await Endpoint().DeliverAsync(endpoint.Plan(envelope, context), context with { Attempt = 2 }, CancellationToken.None);

        Assert.That(receipt.Detail, Does.Contain("by an earlier attempt"));
        Assert.That(StoredCount(EmailOutboundEndpoint.MessageIdFor(context.IdempotencyKey, EmailOptions.DefaultMessageIdDomain)), Is.EqualTo(1));
    }

    [Test]
    public async Task A_recipient_refused_with_550_is_rejected_while_the_others_get_the_message()
    {
        var endpoint = Endpoint();
        var envelope = Unique("anna@example.ru, reject-nobody@example.ru");
        var context = Context(envelope, EndpointId);

        var receipt = await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);

        var (_, _, rcptTos) = await StoredAsync(EmailOutboundEndpoint.MessageIdFor(context.IdempotencyKey, EmailOptions.DefaultMessageIdDomain));
        Assert.That(rcptTos, Is.EqualTo(new[] { "anna@example.ru" }));
        Assert.That(receipt.Detail, Does.Contain("rejected reject-nobody@example.ru (550, "));
        var claim = await records.GetAsync(EndpointId, SendClaims.KeyOf(context.IdempotencyKey, "reject-nobody@example.ru"), CancellationToken.None);
        Assert.That(claim!.Status, Is.EqualTo(ClaimStatus.Rejected));
    }

    [Test]
    public async Task When_every_recipient_is_refused_with_550_the_delivery_fails_permanently()
    {
        var endpoint = Endpoint();
        var envelope = Unique("reject-a@example.ru");
        var context = Context(envelope, EndpointId);

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo("smtp-550"));
        Assert.That(StoredCount(EmailOutboundEndpoint.MessageIdFor(context.IdempotencyKey, EmailOptions.DefaultMessageIdDomain)), Is.Zero);
    }

    [Test]
    public async Task A_recipient_refused_with_451_is_retried_alone_while_the_others_get_the_message_once()
    {
        var endpoint = Endpoint();
        var envelope = Unique("anna@example.ru, tempfail-boris@example.ru");
        var context = Context(envelope, EndpointId);
        var plan = endpoint.Plan(envelope, context);
        var messageId = EmailOutboundEndpoint.MessageIdFor(context.IdempotencyKey, EmailOptions.DefaultMessageIdDomain);

        var first = Assert.ThrowsAsync<TransientFailureException>(() => endpoint.DeliverAsync(plan, context, CancellationToken.None));
        Assert.That(first!.Message, Does.Contain("sent to anna@example.ru").And.Contain("to retry tempfail-boris@example.ru (451, "));
        var second = Assert.ThrowsAsync<TransientFailureException>(() => endpoint.DeliverAsync(plan, context with { Attempt = 2 }, CancellationToken.None));
        Assert.That(second!.Message, Does.Contain("to retry tempfail-boris@example.ru"));

        var (_, _, rcptTos) = await StoredAsync(messageId);
        Assert.That(rcptTos, Is.EqualTo(new[] { "anna@example.ru" }));
        Assert.That(StoredCount(messageId), Is.EqualTo(1), "the retry went to the refused recipient only");
    }

    [Test]
    public async Task Data_answered_451_is_transient_and_releases_the_claim()
    {
        var endpoint = Endpoint();
        var envelope = Unique("data-tempfail@example.ru");
        var context = Context(envelope, EndpointId);

        var failure = Assert.ThrowsAsync<TransientFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None));

        Assert.That(failure!.Message, Does.Contain("DATA answered 451"));
        var claim = await records.GetAsync(EndpointId, SendClaims.KeyOf(context.IdempotencyKey, "data-tempfail@example.ru"), CancellationToken.None);
        Assert.That(claim!.Status, Is.EqualTo(ClaimStatus.Released));
    }

    [Test]
    public void Data_answered_554_is_permanent()
    {
        var endpoint = Endpoint();
        var envelope = Unique("data-reject@example.ru");
        var context = Context(envelope, EndpointId);

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo("smtp-554"));
    }

    [Test]
    public async Task No_answer_after_the_final_dot_is_an_unknown_outcome_although_the_server_has_the_message()
    {
        var endpoint = Endpoint();
        var envelope = Unique("data-hang@example.ru");
        var context = Context(envelope, EndpointId);
        var plan = endpoint.Plan(envelope, context);
        var messageId = EmailOutboundEndpoint.MessageIdFor(context.IdempotencyKey, EmailOptions.DefaultMessageIdDomain);

        // Cancelled the way the resilience pipeline's timeout cancels, once the server holds the whole message.
        using var timeout = new CancellationTokenSource();
        var delivery = endpoint.DeliverAsync(plan, context, timeout.Token);
        await StoredAsync(messageId);
        await timeout.CancelAsync();

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => delivery);
        Assert.That(failure!.Code, Is.EqualTo(ClaimedSend.UnknownOutcome));
        var again = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(plan, context with { Attempt = 2 }, CancellationToken.None));
        Assert.That(again!.Code, Is.EqualTo(ClaimedSend.UnknownOutcome));
        Assert.That(StoredCount(messageId), Is.EqualTo(1));
    }

    [Test]
    public void A_wrong_password_is_permanent_and_not_shown()
    {
        var endpoint = Endpoint(passwordOverride: "not-the-password");
        var envelope = Unique("anna@example.ru");
        var context = Context(envelope, EndpointId);

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo("smtp-auth"));
        Assert.That(failure.Message, Does.Not.Contain("not-the-password"));
    }

    [Test]
    public void A_server_certificate_nobody_trusts_is_permanent()
    {
        var endpoint = Endpoint(trust: false);
        var envelope = Unique("anna@example.ru");
        var context = Context(envelope, EndpointId);

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo("smtp-tls"));
    }

    // ------------------------------------------------------------ helpers

    private static Envelope Unique(string recipients) =>
        Notification(NotificationChannel.Email, recipients, messageId: "notify-" + Guid.NewGuid().ToString("N"));

    private EmailOutboundEndpoint Endpoint(string? passwordOverride = null, bool trust = true)
    {
        var entries = new List<(string, object?)>
        {
            ("kind", "email"),
            ("host", host),
            ("port", port),
            ("security", "starttls"),
            ("user", user),
            ("password", new Secret(passwordOverride ?? password)),
            ("from", "Магазин <shop@example.ru>"),
            ("templates", TemplatesDirectory),
        };
        if (trust)
        {
            entries.Add(("trustedCertificate", certificate));
        }
        var options = Yaml.Map([.. entries]);
        var kind = new EmailEndpointKind();
        Assert.That(kind.CheckOptions(options, new EndpointUsage(false, true)), Is.Empty);
        return (EmailOutboundEndpoint)kind.CreateOutbound(new EndpointDefinition(EndpointId, "email", options), Services(TestServices.NoHttp.Instance, records));
    }

    private static EmailPlanBody PlanBody(IOutboundEndpoint endpoint, Envelope envelope, DeliveryContext context) =>
        JsonSerializer.Deserialize<EmailPlanBody>(endpoint.Plan(envelope, context).Body, RouterJson.Options)!;

    private IEnumerable<(MimeMessage Message, string Raw, string File)> Stored()
    {
        foreach (var file in Directory.EnumerateFiles(maildir, "*.eml"))
        {
            yield return (MimeMessage.Load(file), File.ReadAllText(file), file);
        }
    }

    private int StoredCount(string messageId) => Stored().Count(s => s.Message.MessageId == messageId);

    /// <summary>The stored copy of a message: polled for, the server writes it while the client waits for its answer.</summary>
    private async Task<(MimeMessage Message, string Raw, string[] RcptTos)> StoredAsync(string messageId)
    {
        for (var i = 0; i < 600; i++)
        {
            var found = Stored().Where(s => s.Message.MessageId == messageId).ToList();
            if (found.Count > 0)
            {
                var envelopeFile = Path.ChangeExtension(found[0].File, ".json");
                using var json = JsonDocument.Parse(await File.ReadAllTextAsync(envelopeFile));
                var rcptTos = json.RootElement.GetProperty("rcptTos").EnumerateArray().Select(r => r.GetString()!).ToArray();
                return (found[0].Message, found[0].Raw, rcptTos);
            }
            await Task.Delay(100);
        }
        Assert.Fail($"no message {messageId} arrived in {maildir}");
        return default;
    }
}
