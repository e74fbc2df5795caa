using System.Text.Json;
using Router.Core.Conflicts;
using Router.Core.Messages;

namespace Router.Core.Tests.Conflicts;

/// <summary>
/// Drives the pure conflict logic the way the route stage does, message after message, on an in-memory state and a
/// clock the test moves: detect, resolve, record (sent on unless nothing is new).
/// </summary>
internal sealed class TwoWaySync(ConflictStrategy strategy, IReadOnlyList<TrackedField>? fields = null)
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(3));

    private int messages;

    public IReadOnlyList<TrackedField> Fields { get; } = fields ?? ConflictPolicy.DefaultFields;

    public SyncState? State { get; private set; }

    /// <summary>The router's clock.</summary>
    public DateTimeOffset Now { get; private set; } = Start;

    public void Advance(TimeSpan by) => Now += by;

    public Outcome Receive(SyncSide side, object customer, DateTimeOffset? updatedAt = null, ConflictChoices? choices = null)
    {
        var payload = RouterJson.ToElement(customer);
        var incoming = new IncomingVersion(side, $"m-{++messages}", TrackedValues.Read(payload, Fields), updatedAt);
        var detection = ConflictDetector.Detect(State, incoming, Fields);
        var resolution = ConflictResolver.Resolve(detection, strategy, choices);
        if (!resolution.NeedsReview)
        {
            var resolved = TrackedValues.Write(payload, resolution.Values);
            State = SyncStateTransitions.Record(State, detection, resolution, PayloadHash.Compute(resolved), Now);
            return new Outcome(detection, resolution, resolved);
        }
        return new Outcome(detection, resolution, null);
    }

    public sealed record Outcome(Detection Detection, Resolution Resolution, JsonElement? Delivered)
    {
        public IEnumerable<string> Conflicts => Detection.Conflicts.Select(c => c.Name);

        public string? DeliveredValue(string field) =>
            Delivered is { } d && d.TryGetProperty(field, out var value) ? value.GetString() : null;
    }
}
