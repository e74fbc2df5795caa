using Rebus.Timeouts;

namespace Router.Transport.Common.Deferral;

/// <summary>
/// Takes the timeout manager's place so that nobody configures a real one that would silently never be used:
/// the step that would call it is removed from the pipeline, and deferred messages are held by the transport.
/// </summary>
public sealed class NativeDeferralTimeoutManager(string transportName) : ITimeoutManager
{
    public Task Defer(DateTimeOffset approximateDueTime, Dictionary<string, string> headers, byte[] body) =>
        throw new InvalidOperationException($"the {transportName} transport defers messages natively; no timeout manager should be asked to store one");

    public Task<DueMessagesResult> GetDueMessages() => Task.FromResult(DueMessagesResult.Empty);
}
