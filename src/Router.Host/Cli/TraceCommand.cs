using System.CommandLine;
using Router.Core.Stores;

namespace Router.Host.Cli;

/// <summary><c>router trace ID</c>: a message's path by message id, correlation id or entity key.</summary>
public sealed class TraceCommand : ICommandDefinition
{
    private static readonly Argument<string> Id = new("id") { Description = "A message id, correlation id or entity key (e.g. order:1001)" };
    private static readonly Option<int> Limit = new("--limit") { Description = "At most this many steps (default 1000)", DefaultValueFactory = _ => 1000 };

    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        var command = new Command("trace", "Show a message's history: received, transformed, delivered, failed, replayed…") { Id, Limit };
        command.SetAction(wrap(Run));
        return command;
    }

    private static async Task<int> Run(CliContext context, CancellationToken cancellationToken)
    {
        await using var session = await AdminSession.OpenAsync(context, startClient: false, cancellationToken);
        var id = context.Parse.GetValue(Id)!;
        var entries = await session.State.Journal.TraceAsync(id, context.Parse.GetValue(Limit), cancellationToken);
        if (context.Json)
        {
            context.WriteJson(entries);
            return entries.Count == 0 ? ExitCodes.RuntimeFailure : ExitCodes.Success;
        }
        if (entries.Count == 0)
        {
            context.Error.WriteLine($"nothing in the journal for '{id}' (a message id, correlation id or entity key)");
            return ExitCodes.RuntimeFailure;
        }
        context.Out.WriteLine($"{"TIME (UTC)",-23}  {"STEP",-16} {"ROUTE",-20} {"ENDPOINT",-16} {"MS",7}  MESSAGE ID / DETAIL");
        foreach (var e in entries)
        {
            var ms = e.DurationMs is { } d ? d.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "";
            context.Out.WriteLine($"{e.At.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}  {e.Step,-16} {e.Route ?? "",-20} {e.Endpoint ?? "",-16} {ms,7}  {e.MessageId}");
            if (e.Detail is { } detail)
            {
                // A saga's decision is the order's story (what it did and why): shown whole.
                context.Out.WriteLine($"{"",88}{(e.Step == JournalSteps.Saga ? detail : DlqCommand.Shorten(detail, 140))}");
            }
        }
        return ExitCodes.Success;
    }
}
