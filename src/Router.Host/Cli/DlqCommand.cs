using System.CommandLine;
using System.Globalization;
using Router.Core.Conflicts;
using Router.Core.Messages;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Host.Composition;

namespace Router.Host.Cli;

/// <summary><c>router dlq list|show|replay|delete</c>: the dead-letter store from the command line.</summary>
public sealed class DlqCommand : ICommandDefinition
{
    private static readonly Option<string?> RouteFilter = new("--route") { Description = "Only this route" };
    private static readonly Option<string?> EndpointFilter = new("--endpoint") { Description = "Only this delivery endpoint" };
    private static readonly Option<string?> ErrorFilter = new("--error") { Description = "Error code or message contains this text" };
    private static readonly Option<string?> SinceFilter = new("--since") { Description = "Failed at or after this ISO-8601 time" };
    private static readonly Option<string?> StatusFilter = new("--status") { Description = "pending (default), replayed, resolved, archived or all" };
    private static readonly Option<int> Limit = new("--limit") { Description = "At most this many (default 100)", DefaultValueFactory = _ => 100 };
    private static readonly Option<bool> Group = new("--group") { Description = "Group by error fingerprint" };
    private static readonly Option<bool> All = new("--all") { Description = "Every dead letter matching the filters" };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Show what would be replayed; send nothing" };
    private static readonly Argument<long[]> Ids = new("id") { Description = "Dead letter ids", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Argument<long> Id = new("id") { Description = "Dead letter id" };
    private static readonly Option<string?> Take = new("--take") { Description = "For conflict dead letters: take platform's or onec's (1C's) value on every conflicting field" };
    private static readonly Option<string[]> Field = new("--field")
    {
        Description = "For conflict dead letters: the side for one field, e.g. --field email=onec (repeatable; wins over --take)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        var list = new Command("list", "Dead letters, newest first") { RouteFilter, EndpointFilter, ErrorFilter, SinceFilter, StatusFilter, Limit, Group };
        list.SetAction(wrap(ListAsync));
        var show = new Command("show", "One dead letter in full: error, attempts, envelope, facts, replay history; a conflict field by field") { Id };
        show.SetAction(wrap(ShowAsync));
        var replay = new Command("replay", "Send dead letters back: each re-delivers only its failed leg (or re-runs its route)")
        {
            Ids, All, RouteFilter, EndpointFilter, ErrorFilter, SinceFilter, DryRun, Take, Field,
        };
        replay.SetAction(wrap(ReplayAsync));
        var delete = new Command("delete", "Archive dead letters (kept for the record, no longer pending)")
        {
            Ids, All, RouteFilter, EndpointFilter, ErrorFilter, SinceFilter, DryRun,
        };
        delete.SetAction(wrap(DeleteAsync));
        return new Command("dlq", "Inspect, replay and archive dead letters") { list, show, replay, delete };
    }

    private static DeadLetterQuery Query(CliContext context, IReadOnlyCollection<long>? ids = null)
    {
        var statusText = context.Parse.GetValue(StatusFilter) ?? "pending";
        IReadOnlyCollection<DeadLetterStatus> statuses = statusText == "all"
            ? []
            : Enum.TryParse<DeadLetterStatus>(statusText, ignoreCase: true, out var status)
                ? [status]
                : throw new UsageException($"--status '{statusText}' is not one of pending, replayed, resolved, archived, all");
        DateTimeOffset? since = null;
        if (context.Parse.GetValue(SinceFilter) is { } sinceText)
        {
            since = DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new UsageException($"--since '{sinceText}' is not an ISO-8601 date-time (e.g. 2026-11-24T10:00:00Z)");
        }
        return new DeadLetterQuery
        {
            Route = context.Parse.GetValue(RouteFilter),
            Endpoint = context.Parse.GetValue(EndpointFilter),
            ErrorText = context.Parse.GetValue(ErrorFilter),
            Since = since,
            Statuses = ids is null ? statuses : [],
            Ids = ids,
            Limit = ids is null ? Math.Max(1, context.Parse.GetResult(Limit) is null ? 100_000 : context.Parse.GetValue(Limit)) : ids.Count,
        };
    }

    private static async Task<int> ListAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var session = await AdminSession.OpenAsync(context, startClient: false, cancellationToken);
        var query = Query(context) with { Limit = context.Parse.GetValue(Limit) };
        if (context.Parse.GetValue(Group))
        {
            var groups = await session.State.DeadLetters.GroupAsync(query, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(groups);
                return ExitCodes.Success;
            }
            context.Out.WriteLine($"{"COUNT",5}  {"FINGERPRINT",-12}  {"ROUTE",-20} {"ENDPOINT",-16} {"CODE",-22} SAMPLE");
            foreach (var g in groups)
            {
                context.Out.WriteLine($"{g.Count,5}  {g.Fingerprint,-12}  {g.Route,-20} {g.Endpoint ?? "(route)",-16} {g.ErrorCode,-22} {Shorten(g.SampleMessage, 80)}");
            }
            return ExitCodes.Success;
        }
        var deadLetters = await session.State.DeadLetters.ListAsync(query, cancellationToken);
        if (context.Json)
        {
            context.WriteJson(deadLetters.Select(d => DeadLetterView.Of(d, full: false)));
            return ExitCodes.Success;
        }
        if (deadLetters.Count == 0)
        {
            context.Out.WriteLine("no dead letters match");
            return ExitCodes.Success;
        }
        context.Out.WriteLine($"{"ID",5}  {"STATUS",-8}  {"LAST FAILED (UTC)",-19}  {"ROUTE",-20} {"ENDPOINT",-16} {"CODE",-22} {"TRIES",5}  MESSAGE ID / ERROR");
        foreach (var d in deadLetters)
        {
            context.Out.WriteLine($"{d.Id,5}  {d.Status.ToString().ToLowerInvariant(),-8}  {d.LastFailedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {d.Route,-20} {d.Endpoint ?? "(route)",-16} {d.ErrorCode,-22} {d.Attempts,5}  {d.MessageId}");
            context.Out.WriteLine($"{"",80}{Shorten(d.ErrorMessage, 120)}");
        }
        return ExitCodes.Success;
    }

    private static async Task<int> ShowAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var session = await AdminSession.OpenAsync(context, startClient: false, cancellationToken);
        var id = context.Parse.GetValue(Id);
        var dead = await session.State.DeadLetters.GetAsync(id, cancellationToken) ?? throw new UsageException($"no dead letter {id}");
        if (context.Json)
        {
            context.WriteJson(DeadLetterView.Of(dead, full: true));
            return ExitCodes.Success;
        }
        var o = context.Out;
        o.WriteLine($"Dead letter {dead.Id}  ({dead.Status.ToString().ToLowerInvariant()})");
        o.WriteLine($"  message id    {dead.MessageId}");
        o.WriteLine($"  type          {dead.MessageType}");
        o.WriteLine($"  correlation   {dead.CorrelationId}");
        o.WriteLine($"  entity        {dead.EntityKey}");
        o.WriteLine($"  route         {dead.Route}");
        o.WriteLine($"  leg           {(dead.Stage == DeadLetterStage.Delivery ? $"{dead.Route} -> {dead.Endpoint}" : "route stage")}");
        o.WriteLine($"  error         {dead.ErrorKind} / {dead.ErrorCode}");
        o.WriteLine($"  message       {dead.ErrorMessage}");
        o.WriteLine($"  attempts      {dead.Attempts}");
        o.WriteLine($"  first failed  {dead.FirstFailedAt:O}");
        o.WriteLine($"  last failed   {dead.LastFailedAt:O}");
        o.WriteLine($"  fingerprint   {dead.Fingerprint}");
        var conflict = ConflictReport.From(dead);
        foreach (var (key, value) in dead.Facts.Where(f => conflict is null || f.Key != ConflictReport.FactKey))
        {
            o.WriteLine($"  {key,-13} {value}");
        }
        foreach (var replay in dead.ReplayHistory)
        {
            o.WriteLine($"  replayed      {replay.At:O} by {replay.By}{(replay.Note is { } n ? $": {n}" : "")}");
        }
        if (dead.ErrorDetails is { } details)
        {
            o.WriteLine("  details");
            foreach (var line in details.Split('\n').Take(30))
            {
                o.WriteLine($"    {line.TrimEnd()}");
            }
        }
        if (conflict is not null)
        {
            ConflictTable.Write(o, conflict, dead.Id);
        }
        o.WriteLine("  envelope");
        var pretty = System.Text.Json.JsonSerializer.Serialize(RouterJson.ParseElement(dead.EnvelopeJson), RouterJson.Indented);
        foreach (var line in pretty.Split('\n'))
        {
            o.WriteLine($"    {line.TrimEnd()}");
        }
        if (dead.Status == DeadLetterStatus.Pending && conflict is null)
        {
            o.WriteLine();
            o.WriteLine($"Replay it with: ./router dlq replay {dead.Id}    Archive it with: ./router dlq delete {dead.Id}");
        }
        return ExitCodes.Success;
    }

    private static async Task<IReadOnlyList<DeadLetter>> SelectAsync(CliContext context, AdminSession session, CancellationToken cancellationToken)
    {
        var ids = context.Parse.GetValue(Ids) ?? [];
        var all = context.Parse.GetValue(All);
        if (ids.Length == 0 && !all)
        {
            throw new UsageException("name dead letter ids, or --all (with optional --route/--endpoint/--error/--since filters)");
        }
        if (ids.Length > 0 && all)
        {
            throw new UsageException("give ids or --all, not both");
        }
        if (ids.Length > 0)
        {
            var found = await session.State.DeadLetters.ListAsync(Query(context, ids), cancellationToken);
            var missing = ids.Except(found.Select(d => d.Id)).ToList();
            if (missing.Count > 0)
            {
                throw new UsageException($"no dead letter {string.Join(", ", missing)}");
            }
            return found.OrderBy(d => d.Id).ToList();
        }
        // Oldest first, so replays reach the destination in the order they first failed.
        var matching = await session.State.DeadLetters.ListAsync(Query(context) with { Limit = 100_000 }, cancellationToken);
        return matching.OrderBy(d => d.Id).ToList();
    }

    private static async Task<int> ReplayAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var session = await AdminSession.OpenAsync(context, startClient: true, cancellationToken);
        var choices = Choices(context);
        var selected = await SelectAsync(context, session, cancellationToken);
        CheckFieldsExist(choices, selected);
        var results = await session.Engine.DeadLetterAdmin.ReplayAsync(selected, context.Parse.GetValue(DryRun), Environment.UserName, cancellationToken,
            choices);
        if (context.Json)
        {
            context.WriteJson(results.Select(r => new { id = r.Id, outcome = r.Outcome.ToString().ToLowerInvariant(), detail = r.Detail }));
        }
        else
        {
            foreach (var result in results)
            {
                context.Out.WriteLine($"{result.Id,5}  {result.Outcome.ToString().ToLowerInvariant(),-12} {result.Detail}");
            }
            var sent = results.Count(r => r.Outcome == ReplayOutcome.Replayed);
            context.Out.WriteLine(results.Count == 0 ? "nothing to replay" : $"{sent} replayed, {results.Count - sent} not");
            if (sent > 0)
            {
                context.Out.WriteLine("a running router picks them up; or process them now with: ./router run --once");
            }
        }
        return results.Any(r => r.Outcome == ReplayOutcome.Refused) ? ExitCodes.InvalidInput : ExitCodes.Success;
    }

    /// <summary><c>--take</c> and <c>--field</c> as choices, or null when neither was given.</summary>
    private static ConflictChoices? Choices(CliContext context)
    {
        var take = context.Parse.GetValue(Take);
        var fields = context.Parse.GetValue(Field) ?? [];
        if (take is null && fields.Length == 0)
        {
            return null;
        }
        SyncSide? side = null;
        if (take is not null)
        {
            side = SyncSides.TryParse(take, out var parsed) ? parsed : throw new UsageException($"--take '{take}' is not platform or onec");
        }
        var perField = new Dictionary<string, SyncSide>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var parts = field.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || !SyncSides.TryParse(parts[1], out var fieldSide))
            {
                throw new UsageException($"--field '{field}' is not FIELD=platform or FIELD=onec (e.g. --field email=onec)");
            }
            perField[parts[0]] = fieldSide;
        }
        return new ConflictChoices { Take = side, Fields = perField };
    }

    /// <summary>A <c>--field</c> naming no conflicting field of any selected dead letter is a typo: say so rather than ignore it.</summary>
    private static void CheckFieldsExist(ConflictChoices? choices, IReadOnlyList<DeadLetter> selected)
    {
        if (choices is null || choices.Fields.Count == 0)
        {
            return;
        }
        var conflicting = selected.Select(ConflictReport.From).OfType<ConflictReport>().SelectMany(r => r.ConflictingFields).ToHashSet(StringComparer.Ordinal);
        var unknown = choices.Fields.Keys.Where(f => !conflicting.Contains(f)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException(conflicting.Count == 0
                ? "--field applies to conflict dead letters, and none is selected"
                : $"--field {string.Join(", ", unknown)}: not a conflicting field of the selected dead letters ({string.Join(", ", conflicting.Order(StringComparer.Ordinal))})");
        }
    }

    private static async Task<int> DeleteAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var session = await AdminSession.OpenAsync(context, startClient: true, cancellationToken);
        var selected = await SelectAsync(context, session, cancellationToken);
        if (context.Parse.GetValue(DryRun))
        {
            context.Out.WriteLine($"would archive {selected.Count}: {string.Join(", ", selected.Select(d => d.Id))}");
            return ExitCodes.Success;
        }
        var archived = await session.Engine.DeadLetterAdmin.ArchiveAsync(selected, cancellationToken);
        if (context.Json)
        {
            context.WriteJson(new { archived, ids = selected.Select(d => d.Id) });
        }
        else
        {
            context.Out.WriteLine($"archived {archived}");
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// One JSON shape for <c>dlq list</c> and <c>dlq show</c>: the list leaves the details out (null, so not written),
    /// show fills them in.
    /// </summary>
    private sealed record DeadLetterView(
        long Id, string Status, string MessageId, string? CorrelationId, string? EntityKey, string? MessageType, string Route, string Stage,
        string? Endpoint, string ErrorKind, string ErrorCode, string ErrorMessage, string? ErrorDetails, int Attempts,
        DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt, string Fingerprint,
        IReadOnlyDictionary<string, string>? Facts, IReadOnlyList<ReplayRecord>? ReplayHistory, System.Text.Json.JsonElement? Envelope,
        ConflictReport? Conflict)
    {
        /// <summary>A conflict's report is given as <see cref="Conflict"/>, structured, rather than as a JSON string among the facts.</summary>
        public static DeadLetterView Of(DeadLetter d, bool full)
        {
            var conflict = full ? ConflictReport.From(d) : null;
            var facts = conflict is null ? d.Facts : d.Facts.Where(f => f.Key != ConflictReport.FactKey).ToDictionary(f => f.Key, f => f.Value);
            return new(
                d.Id, d.Status.ToString().ToLowerInvariant(), d.MessageId,
                full ? d.CorrelationId : null, full ? d.EntityKey : null, full ? d.MessageType : null,
                d.Route, d.Stage.ToString().ToLowerInvariant(), d.Endpoint, d.ErrorKind, d.ErrorCode, d.ErrorMessage,
                full ? d.ErrorDetails : null, d.Attempts, d.FirstFailedAt, d.LastFailedAt, d.Fingerprint,
                full ? facts : null, full ? d.ReplayHistory : null, full ? RouterJson.ParseElement(d.EnvelopeJson) : null, conflict);
        }
    }

    internal static string Shorten(string text, int length)
    {
        var single = text.ReplaceLineEndings(" ");
        return single.Length <= length ? single : single[..(length - 1)] + "…";
    }
}

/// <summary>A runtime (and, when sending, a one-way client) for admin verbs that do not receive messages.</summary>
public sealed class AdminSession : IAsyncDisposable
{
    private readonly RouterRuntime? runtime;
    private readonly RouterEngine? engine;

    private AdminSession(IRouterState state, RouterRuntime? runtime, RouterEngine? engine)
    {
        State = state;
        this.runtime = runtime;
        this.engine = engine;
    }

    public IRouterState State { get; }

    public RouterEngine Engine => engine ?? throw new InvalidOperationException("this session was opened to read only");

    /// <summary>
    /// Reading verbs (list, show, trace) open only the state; verbs that send (replay, delete) build the runtime and a
    /// one-way client, since they need the routes, the endpoints and the transport.
    /// </summary>
    public static async Task<AdminSession> OpenAsync(CliContext context, bool startClient, CancellationToken cancellationToken)
    {
        var config = context.LoadConfig();
        if (!startClient)
        {
            return new AdminSession(await RouterRuntimeFactory.OpenStateAsync(config, cancellationToken), null, null);
        }
        var runtime = await RouterRuntimeFactory.CreateAsync(config, context.Logger(config, quietByDefault: true), context.FileSystem, context.Clock, cancellationToken);
        var engine = new RouterEngine(runtime);
        engine.StartClient();
        return new AdminSession(runtime.State, runtime, engine);
    }

    public async ValueTask DisposeAsync()
    {
        if (engine is not null)
        {
            await engine.DisposeAsync();
        }
        if (runtime is not null)
        {
            await runtime.DisposeAsync();
        }
        else
        {
            await State.DisposeAsync();
        }
    }
}
