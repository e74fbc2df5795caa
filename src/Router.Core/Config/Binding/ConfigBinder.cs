using Router.Core.Config.Model;
using Router.Core.Config.Nodes;
using Router.Core.Config.Validation;
using Router.Core.Conflicts;
using Router.Core.Endpoints;
using Router.Core.Transformers;
using static Router.Core.Config.ConfigSchemaBuilder;

namespace Router.Core.Config.Binding;

/// <summary>
/// Turns validated nodes into the typed model. Runs only when validation found no errors, so reads here cannot fail
/// on user input. Paths are kept as written: the host resolves relative ones against <see cref="RouterConfig.BaseDirectory"/>.
/// </summary>
internal sealed class ConfigBinder(TransformerRegistry transformers)
{
    public RouterConfig Bind(string filePath, ConfigMapping mainRoot, ConfigCatalog catalog, IReadOnlyList<string> files)
    {
        var router = BindRouter(mainRoot.GetMapping(RouterKey) ?? ConfigMapping.Empty(mainRoot.Mark));
        return new RouterConfig
        {
            FilePath = filePath,
            BaseDirectory = System.IO.Path.GetDirectoryName(filePath) ?? "",
            Router = router,
            Endpoints = catalog.Endpoints.Select(e => BindEndpoint(e, router.Defaults)).ToList(),
            Routes = catalog.Routes.Select(BindRoute).ToList(),
            Files = files,
        };
    }

    private static RouterSettings BindRouter(ConfigMapping router)
    {
        var storageNode = Section(router, "storage");
        var storageDefaults = new StorageSettings();
        var storage = new StorageSettings
        {
            Kind = storageNode.GetString("kind", storageDefaults.Kind),
            Path = storageNode.GetString("path", storageDefaults.Path),
            Connection = storageNode.GetString("connection"),
        };

        var transportNode = Section(router, "transport");
        var transportDefaults = new TransportSettings();
        var transportKind = transportNode.GetString("kind", transportDefaults.Kind);
        var transport = new TransportSettings
        {
            Kind = transportKind,
            // One SQLite file for messages and state lets one transaction cover both (a real outbox).
            Path = transportNode.GetString("path")
                ?? (transportKind == "sqlite" ? (storage.Kind == "sqlite" ? storage.Path : storageDefaults.Path) : null),
            Connection = transportNode.GetString("connection"),
            Durability = transportNode.GetString("durability") switch
            {
                "full" => Durability.Full,
                "normal" => Durability.Normal,
                _ => transportDefaults.Durability,
            },
            Lease = transportNode.GetDuration("lease", transportDefaults.Lease),
            PollInterval = transportNode.GetDuration("pollInterval", transportDefaults.PollInterval),
            Options = router.GetMapping("transport"),
        };

        var limitsDefaults = new LimitSettings();
        var loggingDefaults = new LoggingSettings();
        var defaultsNode = Section(router, "defaults");
        var defaultsDefaults = new DefaultSettings();
        return new RouterSettings
        {
            Transport = transport,
            Storage = storage,
            Http = new HttpSettings { Listen = Section(router, "http").GetString("listen") },
            Limits = new LimitSettings { MaxMessageSize = Section(router, "limits").GetSize("maxMessageSize", limitsDefaults.MaxMessageSize) },
            Logging = new LoggingSettings
            {
                Level = Section(router, "logging").GetString("level", loggingDefaults.Level),
                Format = Section(router, "logging").GetString("format", loggingDefaults.Format),
            },
            Defaults = new DefaultSettings
            {
                RouteParallelism = defaultsNode.GetInt("routeParallelism", defaultsDefaults.RouteParallelism),
                DeliveryParallelism = defaultsNode.GetInt("deliveryParallelism", defaultsDefaults.DeliveryParallelism),
                Resilience = ResilienceBinder.Bind(defaultsNode.GetMapping("resilience"), defaultsDefaults.Resilience),
            },
        };
    }

    private static ConfigMapping Section(ConfigMapping parent, string key) =>
        parent.GetMapping(key) ?? ConfigMapping.Empty(parent.Mark);

    private static int? OptionalInt(ConfigMapping mapping, string key) =>
        mapping[key] is ConfigScalar { IsNull: false } ? mapping.GetInt(key, 0) : null;

    private EndpointDefinition BindEndpoint(EndpointEntry entry, DefaultSettings defaults)
    {
        var mapping = (ConfigMapping)entry.Node;
        return new EndpointDefinition(entry.Id, mapping.GetRequiredString(KindKey), mapping)
        {
            Description = mapping.GetString("description"),
            Resilience = ResilienceBinder.Bind(mapping.GetMapping("resilience"), defaults.Resilience),
            Fallback = mapping.GetString("fallback"),
            Steps = (mapping.GetSequence("steps")?.Items ?? []).Select(BindStep).ToList(),
            Parallelism = OptionalInt(mapping, "parallelism"),
            MessageType = mapping.GetString("type"),
            MessageId = mapping.GetString("messageId"),
            EntityKey = mapping.GetString("entityKey"),
        };
    }

    private RouteDefinition BindRoute(RouteEntry entry)
    {
        var route = entry.Node;
        return new RouteDefinition
        {
            Id = entry.Id,
            Description = route.GetString("description"),
            From = route.GetRequiredString("from"),
            MessageType = route.GetString("type"),
            MessageId = route.GetString("messageId"),
            EntityKey = route.GetString("entityKey"),
            Ordering = route.GetMapping("ordering") is { } ordering
                ? new OrderingDefinition(ordering.GetRequiredString("key"), ordering.GetRequiredString("version"))
                : null,
            Conflicts = route.GetMapping("conflicts") is { } conflicts ? BindConflicts(conflicts) : null,
            FullSnapshot = route.GetMapping("fullSnapshot") is { } snapshot
                ? new FullSnapshotDefinition(snapshot.GetRequiredString("when"), snapshot.GetRequiredString("key"), snapshot.GetString("entity", entry.Id))
                : null,
            Parallelism = OptionalInt(route, "parallelism"),
            Steps = (route.GetSequence("steps")?.Items ?? []).Select(BindStep).ToList(),
            To = BindDestinations(route["to"]),
            Mark = route.Mark,
        };
    }

    private static ConflictsDefinition BindConflicts(ConfigMapping conflicts)
    {
        SyncSides.TryParse(conflicts.GetRequiredString("side"), out var side);
        var policy = new ConflictPolicy
        {
            Entity = conflicts.GetString("entity", ConflictPolicy.DefaultEntity),
            Side = side,
            Strategy = ConflictStrategies.Parse(conflicts.GetString("strategy", ConflictStrategy.ManualReview.Name())),
        };
        if (conflicts.GetMapping("fields") is not null)
        {
            policy = policy with
            {
                Fields = conflicts.GetStringMap("fields").Select(f => new TrackedField(f.Key, FieldSeverities.Parse(f.Value))).ToList(),
            };
        }
        return new ConflictsDefinition(conflicts.GetRequiredString("key"), conflicts.GetString("updatedAt", ConflictsDefinition.DefaultUpdatedAt), policy);
    }

    private StepDefinition BindStep(ConfigNode node)
    {
        var (key, value) = ((ConfigMapping)node).Entries[0];
        var factory = transformers.Find(key.Value!)!;
        return new StepDefinition(key.Value!, StepOptions.Of(key, value, factory.OptionsSchema), node.Mark);
    }

    private static IReadOnlyList<DestinationDefinition> BindDestinations(ConfigNode? to)
    {
        IReadOnlyList<ConfigNode> items = to is ConfigSequence sequence ? sequence.Items : to is null ? [] : [to];
        return items.Select(item => item switch
        {
            ConfigScalar scalar => new DestinationDefinition(scalar.Value!, null, scalar.Mark),
            ConfigMapping mapping => new DestinationDefinition(mapping.GetRequiredString("endpoint"), mapping.GetString("when"), mapping.Mark),
            _ => throw new InvalidOperationException($"{item.Mark}: a validated destination is neither an id nor a mapping"),
        }).ToList();
    }
}
