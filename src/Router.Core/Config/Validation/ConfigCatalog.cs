using Router.Core.Config.Nodes;
using Router.Core.Config.Yaml;
using static Router.Core.Config.ConfigSchemaBuilder;

namespace Router.Core.Config.Validation;

/// <summary>An endpoint as written: its id's key node and its value (a mapping when valid).</summary>
internal sealed record EndpointEntry(string Id, ConfigScalar Key, ConfigNode Node)
{
    public string? Kind => (Node as ConfigMapping)?[KindKey] is ConfigScalar { Value: { } kind } ? kind : null;
}

/// <summary>A route with a readable id.</summary>
internal sealed record RouteEntry(string Id, ConfigScalar IdNode, ConfigMapping Node);

/// <summary>
/// Endpoints and routes of all files together, in reading order (main file first). Ids are global across files:
/// a second definition is reported and ignored, so references resolve to the first.
/// </summary>
internal sealed class ConfigCatalog
{
    private readonly Dictionary<string, EndpointEntry> endpointsById = new(StringComparer.Ordinal);

    private ConfigCatalog()
    {
    }

    public IReadOnlyList<EndpointEntry> Endpoints { get; private set; } = [];

    public IReadOnlyList<RouteEntry> Routes { get; private set; } = [];

    /// <summary>Every mapping under any <c>routes:</c>, with or without a usable id, for checks that do not need one.</summary>
    public IReadOnlyList<ConfigMapping> RouteNodes { get; private set; } = [];

    public EndpointEntry? FindEndpoint(string id) => endpointsById.GetValueOrDefault(id);

    public static ConfigCatalog Collect(IEnumerable<YamlDocument> documents, DiagnosticBag diagnostics)
    {
        var catalog = new ConfigCatalog();
        var endpoints = new List<EndpointEntry>();
        var routes = new List<RouteEntry>();
        var routeNodes = new List<ConfigMapping>();
        var routeIds = new Dictionary<string, SourceMark>(StringComparer.Ordinal);
        foreach (var root in documents.Select(d => d.Root).OfType<ConfigMapping>())
        {
            if (root[EndpointsKey] is ConfigMapping endpointMap)
            {
                foreach (var (key, value) in endpointMap.Entries)
                {
                    var id = key.Value ?? "";
                    if (catalog.endpointsById.TryGetValue(id, out var first))
                    {
                        diagnostics.Error(key.Mark, $"endpoint '{id}' is already defined at {first.Key.Mark}");
                        continue;
                    }
                    var entry = new EndpointEntry(id, key, value);
                    catalog.endpointsById.Add(id, entry);
                    endpoints.Add(entry);
                }
            }
            if (root[RoutesKey] is ConfigSequence routeList)
            {
                foreach (var route in routeList.Items.OfType<ConfigMapping>())
                {
                    routeNodes.Add(route);
                    if (route["id"] is not ConfigScalar { Value: { } id } idNode)
                    {
                        continue;
                    }
                    if (!routeIds.TryAdd(id, idNode.Mark))
                    {
                        diagnostics.Error(idNode.Mark, $"route '{id}' is already defined at {routeIds[id]}");
                        continue;
                    }
                    routes.Add(new RouteEntry(id, idNode, route));
                }
            }
        }
        catalog.Endpoints = endpoints;
        catalog.Routes = routes;
        catalog.RouteNodes = routeNodes;
        return catalog;
    }
}
