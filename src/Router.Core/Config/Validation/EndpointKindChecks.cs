using Router.Core.Config.Nodes;
using Router.Core.Endpoints;
using static Router.Core.Config.ConfigSchemaBuilder;

namespace Router.Core.Config.Validation;

/// <summary>
/// Rules a kind states about its own options (<see cref="ICheckedEndpointKind"/>), and what HTTP-served endpoints
/// need from the router: a listen address, and a path no other endpoint claims.
/// </summary>
internal sealed class EndpointKindChecks(ConfigCatalog catalog, EndpointKindRegistry kinds, ConfigNode mainRoot, DiagnosticBag diagnostics)
{
    public void Run()
    {
        var usage = Usage();
        var served = new List<(EndpointEntry Endpoint, string Path)>();
        foreach (var endpoint in catalog.Endpoints)
        {
            if (endpoint.Node is not ConfigMapping options || endpoint.Kind is not { } kindName || kinds.Find(kindName) is not { } kind)
            {
                continue;
            }
            var use = usage.GetValueOrDefault(endpoint.Id) ?? new EndpointUsage(false, false);
            if (kind is ICheckedEndpointKind checkedKind)
            {
                foreach (var problem in checkedKind.CheckOptions(options, use))
                {
                    diagnostics.Error(problem.Mark, problem.Message);
                }
            }
            if (kind is IHttpServedEndpointKind servedKind && use.IsUsed)
            {
                served.AddRange(servedKind.ServedPaths(options, use).Select(path => (endpoint, path)));
            }
        }
        if (served.Count == 0)
        {
            return;
        }
        RequireListen(served[0].Endpoint);
        ReportSharedPaths(served);
    }

    private void RequireListen(EndpointEntry first)
    {
        var router = (mainRoot as ConfigMapping)?[RouterKey] as ConfigMapping;
        var http = router?["http"] as ConfigMapping;
        if (http?["listen"] is not ConfigScalar { Value: { } listen } listenNode)
        {
            diagnostics.Error(first.Key.Mark,
                $"endpoint '{first.Id}' is called on the router's HTTP listener, which needs an address: set router.http.listen (e.g. http: {{ listen: http://0.0.0.0:8080 }})");
            return;
        }
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/" || url.Query.Length > 0)
        {
            // TLS belongs to a reverse proxy in front; Kestrel without a certificate cannot serve https.
            diagnostics.Error(listenNode.Mark, $"router.http.listen must be http://<host>:<port> without a path (put TLS in a reverse proxy in front), not '{listen}'");
        }
    }

    private void ReportSharedPaths(List<(EndpointEntry Endpoint, string Path)> served)
    {
        foreach (var group in served.GroupBy(s => s.Path.TrimEnd('/'), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var (endpoint, path) in group.Skip(1))
            {
                diagnostics.Error(endpoint.Key.Mark, $"endpoint '{endpoint.Id}' answers on {path}, which endpoint '{first.Endpoint.Id}' already serves");
            }
        }
    }

    /// <summary>Which endpoints routes read from (<c>from</c>) and deliver to (<c>to</c>, fallbacks).</summary>
    private Dictionary<string, EndpointUsage> Usage()
    {
        var sources = new HashSet<string>(StringComparer.Ordinal);
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in catalog.RouteNodes)
        {
            if (route["from"] is ConfigScalar { Value: { } from })
            {
                sources.Add(from);
            }
            foreach (var (id, _) in ReferenceChecks.Destinations(route["to"]))
            {
                targets.Add(id);
            }
        }
        foreach (var target in targets.ToList())
        {
            if ((catalog.FindEndpoint(target)?.Node as ConfigMapping) is { } options && catalog.FindEndpoint(target)?.Kind is { } kindName
                && kinds.Find(kindName) is IDelegatingEndpointKind delegating)
            {
                targets.UnionWith(delegating.DeliveryTargets(options).Select(t => t.Value!));
            }
        }
        foreach (var target in targets.ToList())
        {
            for (var fallback = FallbackOf(target); fallback is not null && targets.Add(fallback);)
            {
                fallback = FallbackOf(fallback);
            }
        }
        return sources.Union(targets).ToDictionary(id => id, id => new EndpointUsage(sources.Contains(id), targets.Contains(id)), StringComparer.Ordinal);
    }

    private string? FallbackOf(string endpointId) =>
        (catalog.FindEndpoint(endpointId)?.Node as ConfigMapping)?["fallback"] is ConfigScalar { Value: { } fallback } ? fallback : null;
}
