using System.Text;
using Router.Core.Endpoints;
using Router.Core.Stores;

namespace Router.Host.Summary;

/// <summary>What a <c>run --once</c> did, in words: what arrived, where it went, what failed and how to replay it.</summary>
public sealed record RunSummary(
    TimeSpan Elapsed,
    bool Drained,
    IReadOnlyDictionary<string, PollResult> Polls,
    IReadOnlyList<JournalCount> Counts,
    IReadOnlyList<JournalEntry> Rejections,
    IReadOnlyList<DeadLetter> NewDeadLetters,
    long DeferredWaiting)
{
    private static readonly (string Step, string Label)[] RouteStageSteps =
    [
        (JournalSteps.Received, "received"), (JournalSteps.Transformed, "transformed"), (JournalSteps.Routed, "routed"),
        (JournalSteps.Filtered, "filtered out"), (JournalSteps.Duplicate, "duplicate (skipped)"), (JournalSteps.Stale, "stale (skipped)"),
        (JournalSteps.Parked, "parked"), (JournalSteps.ConflictResolved, "with conflicts resolved"), (JournalSteps.Skipped, "nothing new (skipped)"),
        (JournalSteps.Deactivated, "with deactivations (full snapshot)"), (JournalSteps.DeadLettered, "dead-lettered"),
    ];

    private static readonly (string Step, string Label)[] LegSteps =
    [
        (JournalSteps.Delivered, "delivered"), (JournalSteps.Fallback, "to fallback"), (JournalSteps.Duplicate, "duplicate (skipped)"),
        (JournalSteps.Stale, "stale (skipped)"), (JournalSteps.Failed, "failed attempts"), (JournalSteps.RetryScheduled, "redeliveries scheduled"),
        (JournalSteps.DeadLettered, "dead-lettered"), (JournalSteps.Saga, "saga decisions"),
    ];

    /// <summary>"3 delivered, 1 dead-lettered": the non-zero counts of <paramref name="steps"/> among the matching rows.</summary>
    private string Tally(Func<JournalCount, bool> matches, IEnumerable<(string Step, string Label)> steps) =>
        string.Join(", ", steps
            .Select(s => (Count: Counts.Where(c => c.Step == s.Step && matches(c)).Sum(c => c.Count), s.Label))
            .Where(s => s.Count > 0)
            .Select(s => $"{s.Count} {s.Label}"));

    public string Render(string configPath)
    {
        var text = new StringBuilder();
        text.AppendLine($"Router run --once ({configPath}) finished in {Elapsed.TotalSeconds:0.0} s{(Drained ? "" : " WITHOUT draining every queue (timeout)")}");
        text.AppendLine();
        text.AppendLine("Arrived");
        if (Polls.Count == 0)
        {
            text.AppendLine("  (no inbound endpoint feeds a route)");
        }
        foreach (var (endpoint, poll) in Polls.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append($"  {endpoint,-24} {poll.Accepted} accepted");
            if (poll.Rejected > 0)
            {
                text.Append($", {poll.Rejected} rejected (kept in its failed/ folder with an .error.txt)");
            }
            if (poll.Waiting > 0)
            {
                text.Append($", {poll.Waiting} still being written (taken next poll)");
            }
            text.AppendLine();
        }
        foreach (var rejected in Rejections)
        {
            text.AppendLine($"    rejected: {rejected.Detail}");
        }
        var routes = Counts.Where(c => c.Route is not null).Select(c => c.Route!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (routes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Routes");
        }
        foreach (var route in routes)
        {
            var stage = Tally(e => e.Route == route && e.Endpoint is null, RouteStageSteps);
            text.AppendLine($"  {route,-24} {(stage.Length == 0 ? "-" : stage)}");
            var legs = Counts.Where(c => c.Route == route && c.Endpoint is not null).Select(c => c.Endpoint!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var leg in legs)
            {
                var tally = Tally(e => e.Route == route && e.Endpoint == leg, LegSteps);
                text.AppendLine($"    -> {leg,-20} {(tally.Length == 0 ? "routed" : tally)}");
            }
        }
        text.AppendLine();
        if (NewDeadLetters.Count == 0)
        {
            text.AppendLine("Failures: none");
        }
        else
        {
            // The store gave the newest few; the journal knows how many there were in all.
            var total = Math.Max(NewDeadLetters.Count, Counts.Where(c => c.Step == JournalSteps.DeadLettered).Sum(c => c.Count));
            text.AppendLine(total > NewDeadLetters.Count
                ? $"Failures: {total} dead-lettered; the latest {NewDeadLetters.Count}:"
                : $"Failures: {total} dead letter(s)");
            foreach (var dead in NewDeadLetters.OrderBy(d => d.Id))
            {
                var leg = dead.Endpoint is null ? $"{dead.Route} (route stage)" : $"{dead.Route} -> {dead.Endpoint}";
                text.AppendLine($"  #{dead.Id,-4} {leg,-40} {dead.ErrorCode}");
                text.AppendLine($"        {Cli.DlqCommand.Shorten(dead.ErrorMessage, 110)}");
            }
            text.AppendLine();
            text.AppendLine($"  Inspect: ./router dlq show {NewDeadLetters.Min(d => d.Id)}      List: ./router dlq list");
            text.AppendLine("  After fixing the cause, replay (each re-delivers only its failed leg): ./router dlq replay <id>   or   ./router dlq replay --all");
        }
        if (DeferredWaiting > 0)
        {
            text.AppendLine();
            text.AppendLine($"{DeferredWaiting} message{(DeferredWaiting == 1 ? " is" : "s are")} deferred (delivery retries, payment timeouts); a running router (./router run) or a later run --once handles them when due.");
        }
        text.AppendLine();
        text.AppendLine("Follow one message: ./router trace <message id | correlation id | entity key>");
        return text.ToString();
    }
}
