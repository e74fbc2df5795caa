using System.IO.Abstractions;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Endpoints.Tests.Notifications;

/// <summary>Notifications as the saga sends them, and the services the sms and email endpoints run on in tests.</summary>
internal static class NotificationFixtures
{
    /// <summary>The shipped templates, config/templates.</summary>
    public static string TemplatesDirectory { get; } = FindTemplates();

    public static Envelope Notification(NotificationChannel channel, string recipient, string template = "order-shipped",
        string messageId = "notify-1001-shipped", string? subject = null) => new()
    {
        MessageId = messageId,
        Type = "notification.requested",
        Source = "order-saga",
        EntityKey = "order:1001",
        OccurredAt = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
        Payload = RouterJson.ToElement(new Notification
        {
            Channel = channel,
            Recipient = recipient,
            Template = template,
            Subject = subject,
            OrderNumber = "1001",
            Data = new Dictionary<string, string>
            {
                ["customerName"] = "Анна",
                ["amount"] = "2490.00",
                ["carrier"] = "СДЭК",
                ["trackingNumber"] = "1106207236",
            },
        }),
    };

    public static DeliveryContext Context(Envelope envelope, string endpointId, int attempt = 1) => new()
    {
        RouteId = "notify",
        EndpointId = endpointId,
        IdempotencyKey = MessageIds.IdempotencyKey(envelope.MessageId, "notify/" + endpointId),
        Attempt = attempt,
    };

    public static EndpointServices Services(IHttpClientProvider http, IPartnerRecordStore records) => new()
    {
        FileSystem = new FileSystem(),
        Http = http,
        Clock = TimeProvider.System,
        Logger = Serilog.Core.Logger.None,
        BaseDirectory = Path.GetDirectoryName(TemplatesDirectory)!,
        Records = records,
    };

    private static string FindTemplates()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Router.sln")))
            {
                return Path.Combine(dir.FullName, "config", "templates");
            }
        }
        throw new DirectoryNotFoundException("config/templates not found above " + AppContext.BaseDirectory);
    }
}
