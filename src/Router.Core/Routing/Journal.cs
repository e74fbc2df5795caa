using Router.Core.Messages;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>Builds journal rows with the fields every step shares, so stages only say what happened.</summary>
public static class Journal
{
    public static JournalEntry Entry(DateTimeOffset at, Envelope envelope, string? route, string? endpoint, string step,
        string? detail = null, double? durationMs = null) => new()
    {
        At = at,
        MessageId = envelope.MessageId,
        // Most messages are their own correlation: leaving it empty then keeps the correlation index small, and
        // trace still finds the row by its message id.
        CorrelationId = envelope.CorrelationId is { } correlation && correlation != envelope.MessageId ? correlation : null,
        EntityKey = envelope.EntityKey,
        Route = route,
        Endpoint = endpoint,
        Step = step,
        Detail = detail,
        DurationMs = durationMs,
    };
}
