using Router.Core.Config.Nodes;
using Router.Core.Endpoints;

namespace Router.Core.Config.Validation;

/// <summary>
/// Checks that need the whole picture: routes read from endpoints that can receive and deliver to ones that can
/// send, and fallbacks lead somewhere other than back. Unknown ids were reported by the schema pass.
/// </summary>
internal sealed class ReferenceChecks(ConfigCatalog catalog, EndpointKindRegistry kinds, DiagnosticBag diagnostics)
{
    public void Run()
    {
        foreach (var route in catalog.RouteNodes)
        {
            if (route["from"] is ConfigScalar { Value: { } from } fromNode)
            {
                RequireDirection(fromNode, from, EndpointDirections.Inbound);
            }
            foreach (var (endpoint, node) in Destinations(route["to"]))
            {
                RequireDirection(node, endpoint, EndpointDirections.Outbound);
            }
        }
        foreach (var endpoint in catalog.Endpoints)
        {
            CheckFallback(endpoint);
            CheckSteps(endpoint);
            CheckDelegatedTargets(endpoint);
        }
        ReportFallbackCycles();
    }

    /// <summary>The endpoint ids under <c>to:</c>, however each item was written.</summary>
    internal static IEnumerable<(string Id, ConfigScalar Node)> Destinations(ConfigNode? to)
    {
        IReadOnlyList<ConfigNode> items = to switch
        {
            ConfigSequence sequence => sequence.Items,
            null => [],
            _ => [to],
        };
        foreach (var item in items)
        {
            var scalar = item switch
            {
                ConfigScalar s => s,
                ConfigMapping m => m["endpoint"] as ConfigScalar,
                _ => null,
            };
            if (scalar is { Value: { } id })
            {
                yield return (id, scalar);
            }
        }
    }

    private IEndpointKind? KindOf(string endpointId) =>
        catalog.FindEndpoint(endpointId)?.Kind is { } kind ? kinds.Find(kind) : null;

    private void RequireDirection(ConfigScalar reference, string endpointId, EndpointDirections needed)
    {
        if (KindOf(endpointId) is not { } kind || kind.Directions.HasFlag(needed))
        {
            return;
        }
        var message = needed == EndpointDirections.Inbound
            ? $"'{endpointId}' is a '{kind.Kind}' endpoint, which cannot receive messages; 'from' needs one that can"
            : $"'{endpointId}' is a '{kind.Kind}' endpoint, which cannot send messages; deliveries need one that can";
        diagnostics.Error(reference.Mark, message);
    }

    private void CheckFallback(EndpointEntry endpoint)
    {
        if (endpoint.Node is not ConfigMapping mapping || mapping["fallback"] is not ConfigScalar { Value: { } fallback } node)
        {
            return;
        }
        if (fallback == endpoint.Id)
        {
            diagnostics.Error(node.Mark, $"endpoint '{endpoint.Id}' falls back to itself");
            return;
        }
        if (endpoint.Kind is { } kindName && kinds.Find(kindName) is { } kind && !kind.Directions.HasFlag(EndpointDirections.Outbound))
        {
            diagnostics.Error(mapping.KeyNode("fallback")!.Mark, $"'fallback' applies to endpoints that send, and '{kind.Kind}' endpoints only receive");
        }
        RequireDirection(node, fallback, EndpointDirections.Outbound);
    }

    /// <summary>A saga's targets get its commands as deliveries, so they must be endpoints that can send.</summary>
    private void CheckDelegatedTargets(EndpointEntry endpoint)
    {
        if (endpoint.Node is ConfigMapping mapping && endpoint.Kind is { } kindName && kinds.Find(kindName) is IDelegatingEndpointKind delegating)
        {
            foreach (var target in delegating.DeliveryTargets(mapping))
            {
                if (target.Value == endpoint.Id)
                {
                    diagnostics.Error(target.Mark, $"endpoint '{endpoint.Id}' cannot send its commands to itself");
                    continue;
                }
                RequireDirection(target, target.Value!, EndpointDirections.Outbound);
            }
        }
    }

    private void CheckSteps(EndpointEntry endpoint)
    {
        if (endpoint.Node is ConfigMapping mapping && mapping.KeyNode("steps") is { } key
            && endpoint.Kind is { } kindName && kinds.Find(kindName) is { } kind && !kind.Directions.HasFlag(EndpointDirections.Outbound))
        {
            diagnostics.Error(key.Mark, $"'steps' on an endpoint run before it delivers, and '{kind.Kind}' endpoints only receive; put them on the route");
        }
    }

    /// <summary>Each cycle once, at the fallback of its member defined first, naming the whole loop.</summary>
    private void ReportFallbackCycles()
    {
        var next = new Dictionary<string, (string Target, ConfigScalar Node)>(StringComparer.Ordinal);
        foreach (var endpoint in catalog.Endpoints)
        {
            if (endpoint.Node is ConfigMapping m && m["fallback"] is ConfigScalar { Value: { } target } node && target != endpoint.Id)
            {
                next[endpoint.Id] = (target, node);
            }
        }
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in catalog.Endpoints)
        {
            var path = new List<string>();
            var current = endpoint.Id;
            while (next.ContainsKey(current) && !path.Contains(current))
            {
                path.Add(current);
                current = next[current].Target;
            }
            // Only a walk that comes back to where it started is this endpoint's cycle; others are reported from their own start.
            if (current != endpoint.Id || path.Count < 2 || path.Any(reported.Contains))
            {
                continue;
            }
            reported.UnionWith(path);
            diagnostics.Error(next[endpoint.Id].Node.Mark, $"fallback cycle: {string.Join(" → ", path)} → {endpoint.Id}");
        }
    }
}
