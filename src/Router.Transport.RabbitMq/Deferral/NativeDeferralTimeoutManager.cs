using Rebus.Timeouts;

namespace Router.Transport.RabbitMq.Deferral;

/// <summary>
/// Takes the timeout manager's place so that nobody configures a real one that would silently never be used: the
/// step that would call it is removed from the pipeline, and deferred messages wait in the broker's delay queues.
/// </summary>
internal sealed class NativeDeferralTimeoutManager : ITimeoutManager
{
    public Task Defer(DateTimeOffset approximateDueTime, Dictionary<string, string> headers, byte[] body) =>
        throw new InvalidOperationException("the RabbitMQ transport defers messages natively; no timeout manager should be asked to store one");

    public Task<DueMessagesResult> GetDueMessages() => Task.FromResult(DueMessagesResult.Empty);
}
