using Router.Core.Config.Model;
using Router.Core.Config.Schema;
using Router.Core.Conflicts;
using Router.Core.Endpoints;
using Router.Core.Transformers;

namespace Router.Core.Config;

/// <summary>
/// The schema of the whole router YAML, assembled from the registered endpoint kinds and transformers. The loader
/// validates against it and <see cref="JsonSchemaGenerator"/> turns it into config/router.schema.json.
/// </summary>
public static class ConfigSchemaBuilder
{
    /// <summary>Endpoint and route ids: safe in queue names, file names and URLs.</summary>
    public const string IdPattern = "^[A-Za-z0-9._-]+$";

    public const string IdPatternDescription = "an id of letters, digits, '.', '-' and '_'";

    public const string RouterKey = "router";
    public const string IncludeKey = "include";
    public const string EndpointsKey = "endpoints";
    public const string RoutesKey = "routes";
    public const string KindKey = "kind";

    /// <summary>Keys every endpoint accepts whatever its kind; kinds must not declare them again.</summary>
    public static readonly IReadOnlyList<string> CommonEndpointKeys =
        [KindKey, "description", "resilience", "fallback", "steps", "parallelism", "type", "messageId", "entityKey"];

    public static ObjectSchema Build(EndpointKindRegistry kinds, TransformerRegistry transformers)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(transformers);
        return new ObjectSchema(
            new PropertySchema(IncludeKey, Include),
            new PropertySchema(RouterKey, Router),
            new PropertySchema(EndpointsKey, Endpoints(kinds, transformers)),
            new PropertySchema(RoutesKey, Routes(transformers)))
        {
            Description = "Router configuration: the host's settings, the endpoints it talks to and the routes between them.",
        };
    }

    /// <summary>
    /// An included file holds endpoints, routes and further includes; the host's settings live only in the main
    /// file. The loader reports a <c>router:</c> there with its own message, so the schema lets it pass unchecked.
    /// </summary>
    internal static ObjectSchema ForIncludedFile(ObjectSchema document) =>
        document with { Properties = document.Properties.Select(p => p.Name == RouterKey ? p with { Schema = new AnySchema() } : p).ToList() };

    private static readonly ArraySchema Include = new(new StringSchema
    {
        Format = StringFormat.Path,
        Description = "A file or glob (routes/*.yaml, **/*.yaml), relative to this file.",
    })
    {
        AllowSingle = true,
        Description = "Other YAML files with more endpoints, routes and includes (never router:).",
    };

    private static StringSchema Duration(string description, string? defaultValue = null) =>
        new() { Format = StringFormat.Duration, Description = description, Default = defaultValue };

    private static StringSchema Enum(string description, string defaultValue, params string[] values) =>
        new() { Enum = values, Description = description, Default = defaultValue };

    private static readonly ObjectSchema Retry = new(
        new PropertySchema("attempts", new IntegerSchema { Minimum = 0, Maximum = 100, Default = 4, Description = "Retries after the first attempt." }),
        new PropertySchema("delay", Duration("Delay before the first retry.", "200ms")),
        new PropertySchema("backoff", Enum("How the delay grows between retries.", "exponential", "constant", "linear", "exponential")),
        new PropertySchema("jitter", new BooleanSchema { Default = true, Description = "Randomise delays so that many senders do not retry in step." }),
        new PropertySchema("maxDelay", Duration("Upper bound of one delay.", "30s")))
    {
        Description = "Retries within one delivery attempt.",
    };

    private static readonly ShapeChoiceSchema CircuitBreaker = new()
    {
        Description = "Stops calling a failing endpoint for a while; false disables it.",
        Scalar = new BooleanSchema { Description = "false disables the breaker; true keeps the defaults." },
        Mapping = new ObjectSchema(
            new PropertySchema("failureRatio", new NumberSchema { Minimum = 0.01, Maximum = 1, Default = 0.5, Description = "Share of failed calls that opens the breaker." }),
            new PropertySchema("minimumThroughput", new IntegerSchema { Minimum = 2, Maximum = 100_000, Default = 10, Description = "Calls within the sampling window before the ratio counts." }),
            new PropertySchema("samplingDuration", Duration("Window over which failures are counted.", "30s")),
            new PropertySchema("breakDuration", Duration("How long the breaker stays open.", "5m"))),
    };

    private static readonly ShapeChoiceSchema RateLimit = new()
    {
        Description = "Caps calls per second to the endpoint; false removes a default limit.",
        Scalar = new BooleanSchema { Description = "false removes the limit." },
        Mapping = new ObjectSchema(
            new PropertySchema("permitsPerSecond", new IntegerSchema { Minimum = 1, Maximum = 1_000_000, Description = "Calls allowed per second." }) { Required = true }),
    };

    private static readonly ObjectSchema Redelivery = new(
        new PropertySchema("delays", new ArraySchema(Duration("Delay before this redelivery."))
        {
            Description = "After retries fail with a transient error, the message is redelivered after each delay in turn, then dead-lettered.",
        }))
    {
        Description = "Deferred redelivery for longer outages (no thread is held while waiting).",
    };

    /// <summary>Shared by router.defaults.resilience and every endpoint's resilience, which is merged over the defaults key by key.</summary>
    internal static readonly ObjectSchema Resilience = new(
        new PropertySchema("timeout", Duration("Timeout of one call.", "30s")),
        new PropertySchema("retry", Retry),
        new PropertySchema("circuitBreaker", CircuitBreaker),
        new PropertySchema("rateLimit", RateLimit),
        new PropertySchema("redelivery", Redelivery))
    {
        Description = "Timeout, retries, circuit breaker, rate limit and redelivery for calls to an endpoint.",
    };

    private static readonly StringSchema Connection = new()
    {
        Secret = true,
        Description = "Connection string; use a reference such as ${env:ROUTER_PG}.",
    };

    private static readonly IntegerSchema Parallelism = new() { Minimum = 1, Maximum = 256, Description = "Messages handled at the same time." };

    private static readonly ObjectSchema Router = new(
        new PropertySchema("transport", new ObjectSchema(
            new PropertySchema("kind", Enum("Message transport between routes and deliveries.", "sqlite", "sqlite", "inmemory", "rabbitmq", "postgresql")),
            new PropertySchema("path", new StringSchema { Format = StringFormat.Path, Description = "SQLite file; defaults to the storage file so that one transaction covers messages and state." }),
            new PropertySchema("connection", Connection),
            new PropertySchema("durability", Enum("full: fsync every commit; normal: fsync commits that acknowledge a source.", "normal", "full", "normal")),
            new PropertySchema("lease", Duration("How long a received message stays invisible before it counts as abandoned.", "30s")),
            new PropertySchema("pollInterval", Duration("How often idle receivers look for messages from other processes.", "500ms")),
            // rabbitmq only
            new PropertySchema("queues", Enum("rabbitmq: quorum queues (replicated, count deliveries) or classic durable queues.", "quorum", "quorum", "classic")),
            new PropertySchema("prefetch", new IntegerSchema { Minimum = 1, Maximum = 65535, Description = "rabbitmq: unacknowledged messages the broker pushes ahead per queue (default: 4 × the queue's parallelism, at least 20)." }),
            new PropertySchema("confirmTimeout", Duration("rabbitmq: how long a commit waits for the broker's publisher confirms before it fails.", "30s")))
        {
            Description = "Where messages wait between stages.",
        }),
        new PropertySchema("storage", new ObjectSchema(
            new PropertySchema("kind", Enum("Where the router keeps its state (inbox, dead letters, journal).", "sqlite", "sqlite", "postgresql")),
            new PropertySchema("path", new StringSchema { Format = StringFormat.Path, Default = "./data/router.db", Description = "SQLite file, relative to the main config file." }),
            new PropertySchema("connection", Connection))
        {
            Description = "The router's own state.",
        }),
        new PropertySchema("http", new ObjectSchema(
            new PropertySchema("listen", new StringSchema { Format = StringFormat.Url, Description = "Address for webhooks, the 1C exchange and the admin API, e.g. http://127.0.0.1:5080." }))
        {
            Description = "The router's HTTP server; without listen it does not start.",
        }),
        new PropertySchema("limits", new ObjectSchema(
            new PropertySchema("maxMessageSize", new StringSchema { Format = StringFormat.Size, Default = "16MB", Description = "Largest input accepted; bigger ones are rejected as too large." }))),
        new PropertySchema("logging", new ObjectSchema(
            new PropertySchema("level", Enum("Lowest level written.", "information", "verbose", "debug", "information", "warning", "error")),
            new PropertySchema("format", Enum("text for people, json for log collectors.", "text", "text", "json")))),
        new PropertySchema("defaults", new ObjectSchema(
            new PropertySchema("routeParallelism", Parallelism with { Default = 4, Description = "Messages a route handles at the same time, unless the route says otherwise." }),
            new PropertySchema("deliveryParallelism", Parallelism with { Default = 8, Description = "Deliveries to one endpoint at the same time, unless the endpoint says otherwise." }),
            new PropertySchema("resilience", Resilience))
        {
            Description = "Defaults for every route and endpoint.",
        }))
    {
        Description = "Settings of the router host (main file only).",
    };

    private static readonly StringSchema Expression = new() { Format = StringFormat.Expression };

    private static MapSchema Endpoints(EndpointKindRegistry kinds, TransformerRegistry transformers)
    {
        var names = kinds.All.Select(k => k.Kind).Order(StringComparer.Ordinal).ToList();
        var common = new ObjectSchema(
            new PropertySchema(KindKey, new StringSchema { Enum = names, Description = "What the endpoint talks to; decides the other keys." }) { Required = true },
            new PropertySchema("description", new StringSchema { Description = "Free text for people." }),
            new PropertySchema("resilience", Resilience),
            new PropertySchema("fallback", new StringSchema { Format = StringFormat.EndpointRef, Description = "Endpoint that receives deliveries while this one's circuit breaker is open." }),
            new PropertySchema("steps", Steps(transformers) with
            {
                Description = "Transformers applied to each message just before this endpoint delivers it (also as a fallback), e.g. to write a canonical order as a CommerceML file; they must give exactly one message.",
            }),
            new PropertySchema("parallelism", Parallelism with { Description = "Deliveries to this endpoint at the same time (default router.defaults.deliveryParallelism)." }),
            new PropertySchema("type", new StringSchema { Format = StringFormat.MessageType, Description = "Canonical type of the messages this endpoint produces." }),
            new PropertySchema("messageId", Expression with { Description = "Expression giving the message id from the payload, e.g. $.number." }),
            new PropertySchema("entityKey", Expression with { Description = "Expression giving the entity key, e.g. 'order:' + $.number." }));
        var variants = new SortedDictionary<string, ObjectSchema>(StringComparer.Ordinal);
        foreach (var kind in kinds.All)
        {
            var clash = kind.OptionsSchema.Properties.FirstOrDefault(p => CommonEndpointKeys.Contains(p.Name));
            if (clash is not null)
            {
                throw new InvalidOperationException($"endpoint kind '{kind.Kind}' declares '{clash.Name}', which every endpoint already has");
            }
            variants[kind.Kind] = kind.OptionsSchema with { Description = kind.OptionsSchema.Description ?? kind.Description };
        }
        return new MapSchema(new DiscriminatedSchema(KindKey, variants) { Common = common, Description = "An endpoint: its kind and that kind's options." })
        {
            KeyPattern = IdPattern,
            KeyPatternDescription = IdPatternDescription,
            Description = "Endpoints by id.",
        };
    }

    /// <summary>Names of the fields a conflict policy tracks: top-level properties of the canonical payload.</summary>
    public const string FieldNamePattern = "^[A-Za-z_][A-Za-z0-9_]*$";

    private static readonly ObjectSchema Conflicts = new(
        new PropertySchema("side", new StringSchema { Enum = SyncSides.Names, Description = "Which system this route's messages come from: platform or onec (1C)." }) { Required = true },
        new PropertySchema("key", Expression with { Description = "Expression naming the entity in what the steps produce, e.g. $.id; both directions must give the same key for one customer." }) { Required = true },
        new PropertySchema("strategy", Enum("How a field both sides changed is settled.", "manual_review", [.. ConflictStrategies.Names])),
        new PropertySchema("entity", new StringSchema
        {
            Pattern = IdPattern,
            PatternDescription = IdPatternDescription,
            Default = ConflictPolicy.DefaultEntity,
            Description = "Routes naming the same entity share what the router knows of it (one per direction).",
        }),
        new PropertySchema("updatedAt", Expression with { Default = ConflictsDefinition.DefaultUpdatedAt, Description = "Expression giving when the source changed the entity (a date-time with offset); orders changes." }),
        new PropertySchema("fields", new MapSchema(new StringSchema { Enum = FieldSeverities.Names, Description = "critical: merge_smart leaves it to a person; warning, info: the most recent change wins." })
        {
            KeyPattern = FieldNamePattern,
            KeyPatternDescription = "a field name of the canonical payload, e.g. email",
            Description = "Fields compared, with their severity (default: email, inn, companyName critical; phone, kpp warning; name, address info).",
        }))
    {
        Description = "Two-way sync: detect fields both sides changed since they last agreed, and settle them.",
    };

    private static readonly ObjectSchema FullSnapshot = new(
        new PropertySchema("when", Expression with { Description = "Expression over each output that holds when it is part of a full snapshot, e.g. headers['commerceml-full-catalog'] == 'true'." }) { Required = true },
        new PropertySchema("key", Expression with { Description = "Expression naming the entity in each output, e.g. $.id." }) { Required = true },
        new PropertySchema("entity", new StringSchema
        {
            Pattern = IdPattern,
            PatternDescription = IdPatternDescription,
            Description = "Routes naming the same entity share the remembered key set (default: the route id).",
        }))
    {
        Description = "Deactivate entities that were in the previous full snapshot but are missing from this one (e.g. products 1C dropped).",
    };

    private static ArraySchema Steps(TransformerRegistry transformers)
    {
        var steps = new SortedDictionary<string, SchemaNode>(StringComparer.Ordinal);
        foreach (var factory in transformers.All)
        {
            steps[factory.Name] = factory.OptionsSchema with { Description = factory.OptionsSchema.Description ?? factory.Description };
        }
        return new ArraySchema(new SingleKeySchema(steps) { KeyNoun = "transformer", Description = "A transformer and its options: - name: { … }." })
        {
            Description = "Transformers applied in order.",
        };
    }

    private static ArraySchema Routes(TransformerRegistry transformers)
    {
        var endpointRef = new StringSchema { Format = StringFormat.EndpointRef, Description = "Id of an endpoint that sends." };
        var destination = new ShapeChoiceSchema
        {
            Description = "An endpoint id, or { endpoint, when }.",
            Scalar = endpointRef,
            Mapping = new ObjectSchema(
                new PropertySchema("endpoint", endpointRef) { Required = true },
                new PropertySchema("when", Expression with { Description = "Deliver only when this expression holds, e.g. $.customer.phone != null." })),
        };
        var route = new ObjectSchema(
            new PropertySchema("id", new StringSchema { Pattern = IdPattern, PatternDescription = IdPatternDescription, Description = "Unique route id." }) { Required = true },
            new PropertySchema("description", new StringSchema { Description = "Free text for people." }),
            new PropertySchema("from", new StringSchema { Format = StringFormat.EndpointRef, Description = "Id of the endpoint that receives the messages." }) { Required = true },
            new PropertySchema("type", new StringSchema { Format = StringFormat.MessageType, Description = "Message type for messages the source does not type (default: the endpoint's)." }),
            new PropertySchema("messageId", Expression with { Description = "Expression for the message id; overrides the endpoint's." }),
            new PropertySchema("entityKey", Expression with { Description = "Expression for the entity key; overrides the endpoint's." }),
            new PropertySchema("ordering", new ObjectSchema(
                new PropertySchema("key", Expression with { Description = "Expression naming the entity whose messages are ordered." }) { Required = true },
                new PropertySchema("version", Expression with { Description = "Expression giving the version; older versions than the last applied are skipped." }) { Required = true })
            {
                Description = "Apply messages of one entity in version order.",
            }),
            new PropertySchema("conflicts", Conflicts),
            new PropertySchema("fullSnapshot", FullSnapshot),
            new PropertySchema("parallelism", Parallelism with { Description = "Messages this route handles at the same time (default router.defaults.routeParallelism)." }),
            new PropertySchema("steps", Steps(transformers)),
            new PropertySchema("to", new ArraySchema(destination) { MinItems = 1, AllowSingle = true, Description = "Where the result goes: one delivery leg per item." }) { Required = true })
        {
            Description = "A route: from an inbound endpoint, through transformers, to outbound endpoints.",
        };
        return new ArraySchema(route) { Description = "Routes." };
    }
}
