using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Endpoints.Notifications;

/// <summary>Reads the canonical <c>notification.requested</c> payload an sms or email endpoint is given.</summary>
public static class NotificationRequests
{
    public const string MessageType = "notification.requested";

    public static Notification Read(Envelope envelope, NotificationChannel channel, string endpointKind)
    {
        if (envelope.Type != MessageType)
        {
            throw new PermanentFailureException(ErrorCodes.UnknownMessageType,
                $"an {endpointKind} endpoint sends '{MessageType}' messages, not '{envelope.Type}'");
        }
        Notification notification;
        try
        {
            notification = envelope.Payload.Deserialize<Notification>(RouterJson.Options)
                ?? throw new JsonException("the payload is null");
        }
        catch (JsonException ex)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"message {envelope.MessageId}: not a notification: {ex.Message}", ex);
        }
        if (notification.Channel != channel)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput,
                $"message {envelope.MessageId}: a notification for the {notification.Channel.ToString().ToLowerInvariant()} channel was routed to an {endpointKind} endpoint");
        }
        if (string.IsNullOrWhiteSpace(notification.Template))
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"message {envelope.MessageId}: the notification names no template");
        }
        return notification;
    }

    /// <summary>The recipients of one notification: one, or several separated by commas or semicolons.</summary>
    public static IReadOnlyList<string> SplitRecipients(string recipient) =>
        recipient.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The data the template sees: the saga's data, with the order number filled from the notification when absent.</summary>
    public static IReadOnlyDictionary<string, string> TemplateData(Notification notification)
    {
        var data = new Dictionary<string, string>(notification.Data, StringComparer.Ordinal);
        if (notification.OrderNumber is { Length: > 0 } number)
        {
            data.TryAdd(Transformers.Templates.NotificationData.OrderNumber, number);
        }
        return data;
    }
}
