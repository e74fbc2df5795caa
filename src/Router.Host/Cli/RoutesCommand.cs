using System.CommandLine;
using System.Text;
using Router.Core.Config.Model;
using Router.Host.Composition;

namespace Router.Host.Cli;

/// <summary><c>router routes [--format text|mermaid]</c>: endpoints and routes as a list or a Mermaid flowchart.</summary>
public sealed class RoutesCommand : ICommandDefinition
{
    private static readonly Option<string> Format = new("--format")
    {
        Description = "text or mermaid",
        DefaultValueFactory = _ => "text",
    };

    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        Format.AcceptOnlyFromAmong("text", "mermaid");
        var command = new Command("routes", "List endpoints and routes") { Format };
        command.SetAction(wrap(Run));
        return command;
    }

    private static Task<int> Run(CliContext context, CancellationToken cancellationToken)
    {
        var config = context.LoadConfig();
        if (context.Json)
        {
            context.WriteJson(new
            {
                endpoints = config.Endpoints.Select(e => new { id = e.Id, kind = e.Kind, description = e.Description, fallback = e.Fallback }),
                routes = config.Routes.Select(r => new
                {
                    id = r.Id,
                    from = r.From,
                    steps = r.Steps.Select(s => s.Transformer),
                    to = r.To.Select(t => new { endpoint = t.Endpoint, when = t.When }),
                    ordering = r.Ordering,
                }),
            });
        }
        else
        {
            context.Out.Write(context.Parse.GetValue(Format) == "mermaid" ? Mermaid(config) : Text(config));
        }
        return Task.FromResult(ExitCodes.Success);
    }

    private static string Text(RouterConfig config)
    {
        var kinds = BuiltInComponents.EndpointKinds();
        var text = new StringBuilder();
        text.AppendLine("Endpoints:");
        foreach (var endpoint in config.Endpoints)
        {
            var directions = kinds.Find(endpoint.Kind)?.Directions.ToString().ToLowerInvariant() ?? "?";
            text.Append($"  {endpoint.Id,-24} {endpoint.Kind,-12} {directions}");
            if (endpoint.Fallback is { } fallback)
            {
                text.Append($"  fallback: {fallback}");
            }
            if (endpoint.Description is { } description)
            {
                text.Append($"  — {description}");
            }
            text.AppendLine();
            if (SendsTo(kinds, endpoint) is { Count: > 0 } targets)
            {
                text.AppendLine($"  {"",24} sends to: {string.Join(", ", targets)}");
            }
        }
        text.AppendLine();
        text.AppendLine("Routes:");
        foreach (var route in config.Routes)
        {
            text.AppendLine($"  {route.Id}{(route.Description is { } d ? $"  — {d}" : "")}");
            text.AppendLine($"    from   {route.From}");
            if (route.Ordering is { } ordering)
            {
                text.AppendLine($"    order  by {ordering.Key}, version {ordering.Version}");
            }
            foreach (var step in route.Steps)
            {
                text.AppendLine($"    step   {step.Transformer}");
            }
            foreach (var to in route.To)
            {
                text.AppendLine($"    to     {to.Endpoint}{(to.When is { } when ? $"  when {when}" : "")}");
            }
        }
        return text.ToString();
    }

    private static string Mermaid(RouterConfig config)
    {
        var text = new StringBuilder();
        text.AppendLine("flowchart LR");
        foreach (var endpoint in config.Endpoints)
        {
            text.AppendLine($"  {Node(endpoint.Id)}[\"{endpoint.Id}<br/><small>{endpoint.Kind}</small>\"]");
        }
        foreach (var route in config.Routes)
        {
            var routeNode = Node("route_" + route.Id);
            var steps = route.Steps.Count == 0 ? "" : "<br/><small>" + string.Join(" → ", route.Steps.Select(s => s.Transformer)) + "</small>";
            text.AppendLine($"  {routeNode}([\"{route.Id}{steps}\"])");
            text.AppendLine($"  {Node(route.From)} --> {routeNode}");
            foreach (var to in route.To)
            {
                var label = to.When is { } when ? $"|\"{when.Replace("\"", "'", StringComparison.Ordinal)}\"|" : "";
                text.AppendLine($"  {routeNode} -->{label} {Node(to.Endpoint)}");
            }
        }
        foreach (var endpoint in config.Endpoints.Where(e => e.Fallback is not null))
        {
            text.AppendLine($"  {Node(endpoint.Id)} -.->|fallback| {Node(endpoint.Fallback!)}");
        }
        var kinds = BuiltInComponents.EndpointKinds();
        foreach (var endpoint in config.Endpoints)
        {
            foreach (var target in SendsTo(kinds, endpoint))
            {
                text.AppendLine($"  {Node(endpoint.Id)} ==> {Node(target)}");
            }
        }
        return text.ToString();
    }

    /// <summary>The endpoints a saga sends its commands to (nothing for other kinds).</summary>
    private static List<string> SendsTo(Router.Core.Endpoints.EndpointKindRegistry kinds, Router.Core.Endpoints.EndpointDefinition endpoint) =>
        kinds.Find(endpoint.Kind) is Router.Core.Endpoints.IDelegatingEndpointKind delegating
            ? delegating.DeliveryTargets(endpoint.Options).Select(t => t.Value!).Distinct(StringComparer.Ordinal).ToList()
            : [];

    private static string Node(string id) => new(id.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
