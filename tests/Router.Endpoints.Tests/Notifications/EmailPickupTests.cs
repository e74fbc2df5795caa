using MimeKit;
using Router.Core.Endpoints;
using Router.Core.Stores;
using Router.Endpoints.Email;
using Router.Endpoints.Tests.Support;
using static Router.Endpoints.Tests.Notifications.NotificationFixtures;

namespace Router.Endpoints.Tests.Notifications;

/// <summary>The email endpoint's pickup mode: the message as an .eml file instead of an SMTP session (the quickstart's sandbox has no mail server).</summary>
public sealed class EmailPickupTests
{
    private string folder = null!;

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("router-pickup-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public async Task A_notification_is_written_once_as_an_eml_file_named_by_its_stable_message_id()
    {
        var records = new InMemoryPartnerRecordStore();
        var endpoint = Endpoint(records);
        var envelope = Unique("anna@example.ru");
        var context = Context(envelope, "email");

        var receipt = await endpoint.DeliverAsync(endpoint.Plan(envelope, context), context, CancellationToken.None);
        await Endpoint(records).DeliverAsync(endpoint.Plan(envelope, context), context with { Attempt = 2 }, CancellationToken.None);

        var messageId = EmailOutboundEndpoint.MessageIdFor(context.IdempotencyKey, EmailOptions.DefaultMessageIdDomain);
        var files = Directory.GetFiles(folder);
        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { messageId.Replace('@', '_') + ".eml" }), "one file, no temporary left, none for the redelivery");
        var stored = await MimeMessage.LoadAsync(files[0]);
        Assert.That(stored.MessageId, Is.EqualTo(messageId));
        Assert.That(stored.Subject, Is.EqualTo("Заказ №1001 отправлен"));
        Assert.That(stored.To.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { "anna@example.ru" }));
        Assert.That(receipt.Detail, Does.StartWith($"e-mail via pickup:{folder}: sent to anna@example.ru"));
    }

    [Test]
    public void Neither_host_nor_pickup_directory_is_a_configuration_error()
    {
        var options = Yaml.Map(("kind", "email"), ("from", "shop@example.ru"), ("templates", TemplatesDirectory));

        var problems = new EmailEndpointKind().CheckOptions(options, new EndpointUsage(false, true)).Select(p => p.Message);

        Assert.That(problems, Has.Some.Contains("give 'host' (send over SMTP) or 'pickupDirectory'"));
    }

    private static Router.Core.Messages.Envelope Unique(string recipients) =>
        Notification(Router.Core.Canonical.NotificationChannel.Email, recipients, messageId: "notify-" + Guid.NewGuid().ToString("N"));

    private EmailOutboundEndpoint Endpoint(IPartnerRecordStore records)
    {
        var options = Yaml.Map(("kind", "email"), ("pickupDirectory", folder), ("from", "Магазин <shop@example.ru>"), ("templates", TemplatesDirectory));
        var kind = new EmailEndpointKind();
        Assert.That(kind.CheckOptions(options, new EndpointUsage(false, true)), Is.Empty);
        return (EmailOutboundEndpoint)kind.CreateOutbound(new EndpointDefinition("email", "email", options), Services(TestServices.NoHttp.Instance, records));
    }
}
