using System.Text;
using Router.Core.Endpoints;
using Router.Core.Stores;

namespace Router.Host.Summary;

/// <summary>What a <c>run --once</c> did, in words: what arrived, where it went, what failed and how to replay it.</summary>
public sealed record RunSummary(
    TimeSpan Elapsed,
    bool Drained,
    IReadOnlyDictionary<string, PollResult> Polls,
    IReadOnlyList<JournalEntry> Journal,
    IReadOnlyList<DeadLetter> NewDeadLetters,
    long DeferredWaiting)
{
    public int Count(string step, string? route = null, string? endpoint = null) =>
        Journal.Count(e => e.Step == step && (route is null || e.Route == route) && (endpoint is null || e.Endpoint == endpoint));

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
        foreach (var rejected in Journal.Where(e => e.Step == JournalSteps.Rejected))
        {
            text.AppendLine($"    rejected: {rejected.Detail}");
        }
        var routes = Journal.Where(e => e.Route is not null).Select(e => e.Route!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (routes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Routes");
        }
        foreach (var route in routes)
        {
            var parts = new List<string>();
            void Add(string step, string label)
            {
                var n = Journal.Count(e => e.Route == route && e.Endpoint is null && e.Step == step);
                if (n > 0)
                {
                    parts.Add($"{n} {label}");
                }
            }
            Add(JournalSteps.Received, "received");
            Add(JournalSteps.Transformed, "transformed");
            Add(JournalSteps.Routed, "routed");
            Add(JournalSteps.Filtered, "filtered out");
            Add(JournalSteps.Duplicate, "duplicate (skipped)");
            Add(JournalSteps.Stale, "stale (skipped)");
            Add(JournalSteps.Parked, "parked");
            Add(JournalSteps.DeadLettered, "dead-lettered");
            text.AppendLine($"  {route,-24} {(parts.Count == 0 ? "-" : string.Join(", ", parts))}");
            var legs = Journal.Where(e => e.Route == route && e.Endpoint is not null).Select(e => e.Endpoint!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var leg in legs)
            {
                var legParts = new List<string>();
                void AddLeg(string step, string label)
                {
                    var n = Count(step, route, leg);
                    if (n > 0)
                    {
                        legParts.Add($"{n} {label}");
                    }
                }
                AddLeg(JournalSteps.Delivered, "delivered");
                AddLeg(JournalSteps.Fallback, "to fallback");
                AddLeg(JournalSteps.Duplicate, "duplicate (skipped)");
                AddLeg(JournalSteps.Stale, "stale (skipped)");
                AddLeg(JournalSteps.Failed, "failed attempts");
                AddLeg(JournalSteps.RetryScheduled, "redeliveries scheduled");
                AddLeg(JournalSteps.DeadLettered, "dead-lettered");
                text.AppendLine($"    -> {leg,-20} {(legParts.Count == 0 ? "routed" : string.Join(", ", legParts))}");
            }
        }
        text.AppendLine();
        if (NewDeadLetters.Count == 0)
        {
            text.AppendLine("Failures: none");
        }
        else
        {
            text.AppendLine($"Failures: {NewDeadLetters.Count} dead letter(s)");
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
            text.AppendLine($"{DeferredWaiting} delivery retr{(DeferredWaiting == 1 ? "y is" : "ies are")} scheduled for later; a running router (./router run) or a later run --once delivers them when due.");
        }
        text.AppendLine();
        text.AppendLine("Follow one message: ./router trace <message id | correlation id | entity key>");
        return text.ToString();
    }
}
