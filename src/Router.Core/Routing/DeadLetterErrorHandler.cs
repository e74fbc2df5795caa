using System.Text;
using Rebus.Messages;
using Rebus.Retry;
using Rebus.Transport;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>
/// Rebus's final-failure path (after its own delivery attempts) for what the stages did not handle themselves:
/// bugs, an unreadable queue message, a database that keeps failing. Writes to the dead-letter store instead of an
/// error queue, so every failure is in one queryable place and can be replayed.
/// </summary>
public sealed class DeadLetterErrorHandler(RouterRuntime runtime, string queueName) : IErrorHandler
{
    public async Task HandlePoisonMessage(TransportMessage transportMessage, ITransactionContext transactionContext, ExceptionInfo exception)
    {
        var now = runtime.Clock.GetUtcNow();
        var changes = new StateChanges();
        var error = $"{exception.Type}: {exception.Message}";
        var (routeId, endpointId, envelope) = Read(transportMessage);
        var dead = DeadLetters.For(envelope, routeId, endpointId, FailureKind.Permanent, ErrorCodes.Unexpected, error, now,
            exception.GetFullErrorDescription(), facts: new Dictionary<string, string> { ["queue"] = queueName });
        changes.DeadLetters.Add(dead);
        changes.Journal.Add(Journal.Entry(now, envelope, routeId, endpointId, JournalSteps.DeadLettered, $"{ErrorCodes.Unexpected}: {error}"));
        runtime.Logger.Error("Message {MessageId} from queue {Queue} failed every attempt and was dead-lettered: {Error}",
            envelope.MessageId, queueName, error);
        // Committed on its own, before Rebus acknowledges the message: a crash in between repeats the dead letter (attempts + 1), never loses it.
        await runtime.State.Writer.CommitAsync(changes, CancellationToken.None).ConfigureAwait(false);
    }

    private (string Route, string? Endpoint, Envelope Envelope) Read(TransportMessage message)
    {
        var type = message.Headers.GetValueOrDefault(Headers.Type) ?? "";
        try
        {
            if (type.StartsWith(typeof(DeliveryMessage).FullName!, StringComparison.Ordinal))
            {
                var delivery = System.Text.Json.JsonSerializer.Deserialize<DeliveryMessage>(message.Body, RouterJson.Options)!;
                return (delivery.RouteId, delivery.EndpointId, delivery.Envelope);
            }
            if (type.StartsWith(typeof(RouteMessage).FullName!, StringComparison.Ordinal))
            {
                var route = System.Text.Json.JsonSerializer.Deserialize<RouteMessage>(message.Body, RouterJson.Options)!;
                return (route.RouteId, null, route.Envelope);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Fall through: keep the raw body so nothing is lost.
        }
        var raw = new Envelope
        {
            MessageId = message.Headers.GetValueOrDefault(Headers.MessageId) ?? Guid.NewGuid().ToString("N"),
            Type = MessageTypes.FileReceived,
            Source = queueName,
            OccurredAt = runtime.Clock.GetUtcNow(),
            Headers = new Dictionary<string, string>(message.Headers),
            Payload = RouterJson.ToElement(new { unreadableQueueMessage = Encoding.UTF8.GetString(message.Body) }),
        };
        return (queueName, null, raw);
    }
}
