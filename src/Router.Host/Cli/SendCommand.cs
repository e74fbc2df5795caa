using System.CommandLine;
using Rebus.Transport;
using Router.Core.Failures;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Host.Composition;

namespace Router.Host.Cli;

/// <summary><c>router send --route ID --input FILE [--message-id ID]</c>: puts a message on a route's queue, durably.</summary>
public sealed class SendCommand : ICommandDefinition
{
    private static readonly Option<string> Route = new("--route") { Description = "Route id", Required = true };
    private static readonly Option<string> Input = new("--input", "-i") { Description = "Input file (JSON payload or envelope)", Required = true };
    private static readonly Option<string?> MessageId = new("--message-id") { Description = "Message id to use (default: from the route's expression, the envelope, or file name + hash)" };

    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        var command = new Command("send", "Put a message on a route's queue") { Route, Input, MessageId };
        command.SetAction(wrap(Run));
        return command;
    }

    private static async Task<int> Run(CliContext context, CancellationToken cancellationToken)
    {
        var config = context.LoadConfig();
        var logger = context.Logger(config, quietByDefault: true);
        var routeId = context.Parse.GetValue(Route)!;
        if (config.FindRoute(routeId) is null)
        {
            throw new UsageException($"no route '{routeId}' in {context.ConfigPath}");
        }
        var input = InputFile.Read(context.Parse.GetValue(Input)!, config.Router.Limits.MaxMessageSize);
        await using var runtime = await RouterRuntimeFactory.CreateAsync(config, logger, context.FileSystem, context.Clock, cancellationToken);
        await using var engine = new RouterEngine(runtime);
        engine.StartClient();
        var route = runtime.Routes[routeId];
        Core.Messages.Envelope envelope;
        try
        {
            envelope = input.Envelope ?? InboundHandOff.BuildEnvelope(route, route.Definition.From, input.Message, context.Clock.GetUtcNow());
        }
        catch (PermanentFailureException e)
        {
            throw new UsageException($"{input.Path}: {e.Message}");
        }
        if (!Core.Messages.MessageTypes.IsKnown(envelope.Type))
        {
            throw new UsageException($"{input.Path}: unknown message type '{envelope.Type}'; known: {string.Join(", ", Core.Messages.MessageTypes.All.Order())}");
        }
        if (context.Parse.GetValue(MessageId) is { } id)
        {
            envelope = envelope with { MessageId = id, CorrelationId = envelope.CorrelationId == envelope.MessageId ? id : envelope.CorrelationId };
        }
        var changes = new StateChanges();
        changes.Journal.Add(Journal.Entry(context.Clock.GetUtcNow(), envelope, routeId, null, JournalSteps.Received, $"router send {input.Path}"));
        using (var scope = new RebusTransactionScope())
        {
            await engine.OneWayBus.Advanced.Routing.Send(route.Queue, new RouteMessage(routeId, envelope));
            runtime.Transport.EnlistState(scope.TransactionContext, changes);
            await scope.CompleteAsync();
        }
        if (context.Json)
        {
            context.WriteJson(new { route = routeId, queue = route.Queue, messageId = envelope.MessageId, type = envelope.Type });
        }
        else
        {
            context.Out.WriteLine($"sent {envelope.MessageId} ({envelope.Type}) to {route.Queue}; a running router picks it up, or run: ./router run --once");
        }
        return ExitCodes.Success;
    }
}
