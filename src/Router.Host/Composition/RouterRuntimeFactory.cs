using System.IO.Abstractions;
using Router.Core.Config.Model;
using Router.Core.Endpoints;
using Router.Core.Routing;
using Router.Core.Routing.Transports;
using Router.Core.Stages.Resilience;
using Router.Core.Stores;
using Router.Core.Transformers;
using Router.Endpoints.Http;
using Router.Core.Leases;
using Router.Host.Sagas;
using Router.Host.Transports;
using Router.Core.Sagas;
using Router.Storage.Postgres;
using Router.Storage.Sqlite;
using Router.Transport.Sqlite.Database;

namespace Router.Host.Composition;

/// <summary>The routes and endpoints of a configuration, without any storage: enough for preview and transform.</summary>
public sealed record RouterTopology(
    RouterConfig Config,
    IReadOnlyDictionary<string, CompiledRoute> Routes,
    IReadOnlyDictionary<string, IInboundEndpoint> Inbound,
    IReadOnlyDictionary<string, IOutboundEndpoint> Outbound,
    HttpClientProvider Http);

/// <summary>Builds a running router's parts from a validated configuration: the composition root.</summary>
public static class RouterRuntimeFactory
{
    /// <param name="records">The state's partner records; preview and transform, which have no state, get a throw-away one.</param>
    public static RouterTopology BuildTopology(RouterConfig config, Serilog.ILogger logger, IFileSystem fileSystem, TimeProvider clock,
        IPartnerRecordStore? records = null)
    {
        var kinds = BuiltInComponents.EndpointKinds();
        var transformers = BuiltInComponents.Transformers();
        var creationContext = new TransformerCreationContext(config.BaseDirectory, fileSystem);
        var routes = RouteCompiler.Compile(config, transformers, creationContext);
        var http = new HttpClientProvider();
        var services = new EndpointServices
        {
            FileSystem = fileSystem,
            Http = http,
            Clock = clock,
            Logger = logger,
            BaseDirectory = config.BaseDirectory,
            MaxMessageSize = config.Router.Limits.MaxMessageSize,
            Records = records ?? new InMemoryPartnerRecordStore(),
        };
        var sources = routes.Values.Select(r => r.Definition.From).ToHashSet(StringComparer.Ordinal);
        var targets = routes.Values.SelectMany(r => r.Destinations.Select(d => d.EndpointId)).ToHashSet(StringComparer.Ordinal);
        AddDelegatedTargets(config, kinds, targets);
        foreach (var target in targets.ToList())
        {
            // Fallbacks are delivered to inline by the primary's leg, so they need an outbound instance too.
            for (var fallback = config.FindEndpoint(target)?.Fallback; fallback is not null && targets.Add(fallback);)
            {
                fallback = config.FindEndpoint(fallback)?.Fallback;
            }
        }
        var inbound = new Dictionary<string, IInboundEndpoint>(StringComparer.Ordinal);
        var outbound = new Dictionary<string, IOutboundEndpoint>(StringComparer.Ordinal);
        foreach (var definition in config.Endpoints)
        {
            var kind = kinds.Find(definition.Kind) ?? throw new InvalidOperationException($"endpoint kind '{definition.Kind}' is not registered");
            if (sources.Contains(definition.Id) || ServedOverHttp(kind, definition, sources, targets))
            {
                inbound[definition.Id] = kind.CreateInbound(definition, services);
            }
            if (targets.Contains(definition.Id))
            {
                outbound[definition.Id] = TransformingOutboundEndpoint.Wrap(kind.CreateOutbound(definition, services),
                    RouteCompiler.CompileSteps(definition.Steps, transformers, creationContext));
            }
        }
        return new RouterTopology(config, routes, inbound, outbound, http);
    }

    /// <summary>A saga delivered to sends its commands to the endpoints its options name: they need outbound instances and queues too.</summary>
    private static void AddDelegatedTargets(RouterConfig config, EndpointKindRegistry kinds, HashSet<string> targets)
    {
        foreach (var target in targets.ToList())
        {
            if (config.FindEndpoint(target) is { } definition && kinds.Find(definition.Kind) is IDelegatingEndpointKind delegating)
            {
                targets.UnionWith(delegating.DeliveryTargets(definition.Options).Select(t => t.Value!));
            }
        }
    }

    /// <summary>
    /// An endpoint others call on the HTTP listener needs its inbound side even when routes only deliver to it:
    /// 1C fetches the orders queued for it with a request to the listener.
    /// </summary>
    private static bool ServedOverHttp(IEndpointKind kind, EndpointDefinition definition, HashSet<string> sources, HashSet<string> targets) =>
        kind is IHttpServedEndpointKind served
        && served.ServedPaths(definition.Options, new EndpointUsage(sources.Contains(definition.Id), targets.Contains(definition.Id))).Count > 0
        && (sources.Contains(definition.Id) || targets.Contains(definition.Id));

    /// <summary>Opens the state and the transport the configuration names, and builds everything on them.</summary>
    public static async Task<RouterRuntime> CreateAsync(RouterConfig config, Serilog.ILogger logger, IFileSystem fileSystem, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (state, transport) = await OpenStorageAsync(config, cancellationToken).ConfigureAwait(false);
        RouterTopology topology;
        try
        {
            // Built on the opened state, so endpoints keep their claims and poll lists in it.
            topology = BuildTopology(config, logger, fileSystem, clock, state.PartnerRecords);
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            await state.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var resilience = topology.Outbound.Keys.ToDictionary(
            id => id,
            id => new DeliveryResilience(config.FindEndpoint(id)!.Resilience, clock),
            StringComparer.Ordinal);
        return new RouterRuntime
        {
            Config = config,
            Routes = topology.Routes,
            Inbound = topology.Inbound,
            Outbound = topology.Outbound,
            Resilience = resilience,
            State = state,
            Transport = transport,
            Leases = LeasesFor(state),
            Sagas = SagasFor(state, transport),
            Clock = clock,
            Logger = logger,
            // Endpoints that hold connections (rabbitmq) close them with the runtime.
            OwnedResources = [topology.Http, .. topology.Inbound.Values.OfType<IDisposable>(), .. topology.Outbound.Values.OfType<IDisposable>()],
        };
    }

    /// <summary>The state alone (it owns its database), for verbs that only read it: no routes, endpoints or transport are built.</summary>
    public static async Task<IRouterState> OpenStateAsync(RouterConfig config, CancellationToken cancellationToken)
    {
        if (config.Router.Storage.Kind == "postgresql")
        {
            return await OpenPostgresStateAsync(config, cancellationToken).ConfigureAwait(false);
        }
        RequireSqliteStorage(config);
        var state = SqliteRouterState.Open(Resolve(config, config.Router.Storage.Path), config.Router.Transport.Durability == Durability.Full);
        await state.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }

    private static async Task<(IRouterState State, IRouterTransport Transport)> OpenStorageAsync(RouterConfig config, CancellationToken cancellationToken)
    {
        var settings = config.Router;
        if (settings.Storage.Kind == "postgresql")
        {
            return await OpenOnPostgresStateAsync(config, cancellationToken).ConfigureAwait(false);
        }
        RequireSqliteStorage(config);
        var statePath = Resolve(config, settings.Storage.Path);
        var transportPath = settings.Transport.Path is { } p ? Resolve(config, p) : statePath;
        var database = SqliteDatabase.Open(new SqliteDatabaseOptions
        {
            Path = statePath,
            SynchronousFull = settings.Transport.Durability == Durability.Full,
        });
        var state = new SqliteRouterState(database, TimeProvider.System);
        await state.MigrateAsync(cancellationToken).ConfigureAwait(false);
        IRouterTransport transport = settings.Transport.Kind switch
        {
            "sqlite" when transportPath == statePath => await SqliteRouterTransport.CreateAsync(database, state, settings.Transport, cancellationToken).ConfigureAwait(false),
            "sqlite" => throw new NotSupportedException("the SQLite transport must share the state's database file (leave router.transport.path unset)"),
            "inmemory" => new InMemoryRouterTransport(state),
            "postgresql" => await PostgresRouterTransport.CreateAsync(TransportConnection(config), state, cancellationToken).ConfigureAwait(false),
            "rabbitmq" => await RabbitMqRouterTransport.CreateAsync(settings.Transport, state, RabbitMqQueuesOf(config), cancellationToken).ConfigureAwait(false),
            var other => throw new NotSupportedException($"transport kind '{other}' is not available in this build; use 'sqlite', 'postgresql', 'rabbitmq' or 'inmemory'"),
        };
        return (state, transport);
    }

    /// <summary>State in PostgreSQL, shared by every host; the transport alongside it (the same database shares its transactions).</summary>
    private static async Task<(IRouterState State, IRouterTransport Transport)> OpenOnPostgresStateAsync(RouterConfig config, CancellationToken cancellationToken)
    {
        var state = await OpenPostgresStateAsync(config, cancellationToken).ConfigureAwait(false);
        try
        {
            IRouterTransport transport = config.Router.Transport.Kind switch
            {
                "postgresql" => await PostgresRouterTransport.CreateAsync(TransportConnection(config), state, cancellationToken).ConfigureAwait(false),
                "rabbitmq" => await RabbitMqRouterTransport.CreateAsync(config.Router.Transport, state, RabbitMqQueuesOf(config), cancellationToken).ConfigureAwait(false),
                "inmemory" => new InMemoryRouterTransport(state),
                "sqlite" => throw new NotSupportedException(
                    "the SQLite transport keeps its queues in the state's SQLite file; with storage kind 'postgresql' use transport kind 'postgresql'"),
                var other => throw new NotSupportedException($"transport kind '{other}' is not available in this build; use 'postgresql', 'rabbitmq' or 'inmemory'"),
            };
            return (state, transport);
        }
        catch
        {
            await state.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<PostgresRouterState> OpenPostgresStateAsync(RouterConfig config, CancellationToken cancellationToken)
    {
        var connection = config.Router.Storage.Connection
            ?? throw new NotSupportedException("storage kind 'postgresql' needs 'connection' (e.g. connection: ${env:ROUTER_PG})");
        var state = PostgresRouterState.Open(connection);
        try
        {
            await state.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Npgsql.NpgsqlException e)
        {
            await state.DisposeAsync().ConfigureAwait(false);
            // The driver's message never carries the password; the connection string is described without it.
            throw new InvalidOperationException($"cannot open the router's state on PostgreSQL {PostgresConnectionStrings.Describe(connection)}: {e.Message}", e);
        }
        return state;
    }

    private static string TransportConnection(RouterConfig config) =>
        config.Router.Transport.Connection
        ?? throw new NotSupportedException("transport kind 'postgresql' needs 'connection' (e.g. connection: ${env:ROUTER_PG})");

    /// <summary>
    /// Saga state beside the router's state: in the SQLite transport's own transactions on the embedded default,
    /// in PostgreSQL (Rebus.PostgreSql) when the state is there, in memory only for the in-memory test transport.
    /// </summary>
    private static ISagaStorageFactory SagasFor(IRouterState state, IRouterTransport transport) => (state, transport) switch
    {
        (_, SqliteRouterTransport sqlite) => sqlite.Sagas,
        (PostgresRouterState postgres, _) => new PostgresSagaStorageFactory(postgres.ConnectionString),
        (_, InMemoryRouterTransport) => new InMemorySagaStorageFactory(),
        (SqliteRouterState sqlite, _) => new SqliteSagaStorage(sqlite.Database, enlisted: false),
        _ => new InMemorySagaStorageFactory(),
    };

    /// <summary>Hosts sharing a PostgreSQL state decide there who polls what; on SQLite the one host holds every lease.</summary>
    private static ILeaseStore LeasesFor(IRouterState state) =>
        state is PostgresRouterState postgres ? new PostgresLeaseStore(postgres.ConnectionString) : new SingleHostLeaseStore();

    /// <summary>Every queue the configuration's routes use (fallback legs included): a broker transport declares them up front.</summary>
    private static IEnumerable<string> RabbitMqQueuesOf(RouterConfig config)
    {
        var endpoints = config.Routes.SelectMany(r => r.To.Select(d => d.Endpoint)).ToHashSet(StringComparer.Ordinal);
        AddDelegatedTargets(config, BuiltInComponents.EndpointKinds(), endpoints);
        foreach (var endpoint in endpoints.ToList())
        {
            for (var fallback = config.FindEndpoint(endpoint)?.Fallback; fallback is not null && endpoints.Add(fallback);)
            {
                fallback = config.FindEndpoint(fallback)?.Fallback;
            }
        }
        return [.. config.Routes.Select(r => QueueNames.ForRoute(r.Id)), .. endpoints.Select(QueueNames.ForDelivery), QueueNames.Error];
    }

    private static void RequireSqliteStorage(RouterConfig config)
    {
        if (config.Router.Storage.Kind != "sqlite")
        {
            throw new NotSupportedException($"storage kind '{config.Router.Storage.Kind}' is not available in this build; use 'sqlite' or 'postgresql'");
        }
    }

    public static string Resolve(RouterConfig config, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(config.BaseDirectory, path));
}
