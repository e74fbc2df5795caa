using System.CommandLine;
using System.Text;
using Router.Core.Endpoints;
using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Routing;
using Router.Host.Composition;

namespace Router.Host.Cli;

/// <summary>
/// <c>router preview --route ID --input FILE</c>: a dry run. For each destination the message would reach, prints
/// exactly what would be sent (method, URL, headers with secrets masked, body; or file name and content). Sends nothing.
/// </summary>
public sealed class PreviewCommand : ICommandDefinition
{
    private static readonly Option<string> Route = new("--route") { Description = "Route id", Required = true };
    private static readonly Option<string> Input = new("--input", "-i") { Description = "Input file, as the route's source would deliver it", Required = true };

    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        var command = new Command("preview", "Dry run: show what each destination would receive; sends nothing") { Route, Input };
        command.SetAction(wrap(Run));
        return command;
    }

    private static Task<int> Run(CliContext context, CancellationToken cancellationToken)
    {
        var config = context.LoadConfig();
        var topology = RouterRuntimeFactory.BuildTopology(config, context.Logger(config, quietByDefault: true), context.FileSystem, context.Clock);
        using var http = topology.Http;
        var routeId = context.Parse.GetValue(Route)!;
        var route = topology.Routes.GetValueOrDefault(routeId) ?? throw new UsageException($"no route '{routeId}' in {context.ConfigPath}");
        var input = InputFile.Read(context.Parse.GetValue(Input)!, config.Router.Limits.MaxMessageSize);
        var previews = new List<PreviewItem>();
        try
        {
            var envelope = input.Envelope ?? InboundHandOff.BuildEnvelope(route, route.Definition.From, input.Message, context.Clock.GetUtcNow());
            foreach (var output in route.Transform(envelope))
            {
                var scope = MessageScope.Of(output);
                foreach (var destination in route.Destinations)
                {
                    if (destination.When is { } when && !when.IsTrue(scope))
                    {
                        previews.Add(new PreviewItem(destination.EndpointId, output.MessageId, null, $"skipped: 'when: {when}' is false"));
                        continue;
                    }
                    var delivery = new DeliveryContext
                    {
                        RouteId = route.Id,
                        EndpointId = destination.EndpointId,
                        IdempotencyKey = MessageIds.IdempotencyKey(output.MessageId, $"{route.Id}/{destination.EndpointId}"),
                    };
                    previews.Add(new PreviewItem(destination.EndpointId, output.MessageId, topology.Outbound[destination.EndpointId].Plan(output, delivery), null));
                }
            }
        }
        catch (PermanentFailureException e)
        {
            throw new UsageException($"the route would dead-letter this input: {e.Code}: {e.Message}");
        }
        if (context.Json)
        {
            context.WriteJson(previews.Select(p => new
            {
                endpoint = p.Endpoint,
                messageId = p.MessageId,
                skipped = p.Skipped,
                kind = p.Plan?.Kind,
                method = p.Plan?.Method,
                target = p.Plan?.ShownTarget,
                headers = p.Plan is null ? null : Masked(p.Plan),
                contentType = p.Plan?.ContentType,
                body = p.Plan is null ? null : BodyText(p.Plan),
            }));
            return Task.FromResult(ExitCodes.Success);
        }
        if (previews.Count == 0)
        {
            context.Out.WriteLine($"Route '{routeId}' would send nothing for this input (filtered out or no destination).");
        }
        foreach (var preview in previews)
        {
            context.Out.WriteLine($"=== {preview.Endpoint} ({preview.MessageId})");
            if (preview.Plan is not { } plan)
            {
                context.Out.WriteLine(preview.Skipped);
                context.Out.WriteLine();
                continue;
            }
            context.Out.WriteLine(plan.Method is null ? $"{plan.Kind}: {plan.ShownTarget}" : $"{plan.Method} {plan.ShownTarget}");
            foreach (var (name, value) in Masked(plan))
            {
                context.Out.WriteLine($"{name}: {value}");
            }
            if (plan.ContentType is { } contentType && !plan.Headers.ContainsKey("Content-Type"))
            {
                context.Out.WriteLine($"Content-Type: {contentType}");
            }
            context.Out.WriteLine();
            context.Out.WriteLine(BodyText(plan));
            context.Out.WriteLine();
        }
        return Task.FromResult(ExitCodes.Success);
    }

    private static SortedDictionary<string, string> Masked(DeliveryPlan plan) =>
        new(plan.Headers.ToDictionary(h => h.Key, h => plan.SecretHeaders.Contains(h.Key) ? "***" : h.Value), StringComparer.OrdinalIgnoreCase);

    private static string BodyText(DeliveryPlan plan)
    {
        if (plan.Encoding is null)
        {
            return $"<{plan.Body.Length} bytes, base64> {Convert.ToBase64String(plan.Body)}";
        }
        return Encoding.GetEncoding(plan.Encoding).GetString(plan.Body);
    }

    private sealed record PreviewItem(string Endpoint, string MessageId, DeliveryPlan? Plan, string? Skipped);
}
