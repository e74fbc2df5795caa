using Router.Core.Config.Nodes;
using Router.Core.Endpoints;

namespace Router.Core.Config.Model;

/// <summary>A loaded, validated configuration: what the host, the CLI and the tests work from.</summary>
public sealed record RouterConfig
{
    /// <summary>Full path of the main YAML file.</summary>
    public required string FilePath { get; init; }

    /// <summary>Directory of the main file: relative paths (data, inboxes, schemas) are resolved against it.</summary>
    public required string BaseDirectory { get; init; }

    public required RouterSettings Router { get; init; }

    /// <summary>In the order written (includes merged in after the main file's).</summary>
    public required IReadOnlyList<EndpointDefinition> Endpoints { get; init; }

    public required IReadOnlyList<RouteDefinition> Routes { get; init; }

    /// <summary>Every file read, main first, for <c>validate</c>'s summary.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    public EndpointDefinition? FindEndpoint(string id) => Endpoints.FirstOrDefault(e => e.Id == id);

    public RouteDefinition? FindRoute(string id) => Routes.FirstOrDefault(r => r.Id == id);
}

public sealed record RouterSettings
{
    public TransportSettings Transport { get; init; } = new();
    public StorageSettings Storage { get; init; } = new();
    public HttpSettings Http { get; init; } = new();
    public LimitSettings Limits { get; init; } = new();
    public DefaultSettings Defaults { get; init; } = new();
    public LoggingSettings Logging { get; init; } = new();
}

public enum Durability
{
    /// <summary>Every commit is fsynced (SQLite synchronous=FULL).</summary>
    Full,

    /// <summary>Commits that acknowledge a source are fsynced; internal hops are not (synchronous=NORMAL in WAL).</summary>
    Normal,
}

public sealed record TransportSettings
{
    /// <summary>sqlite (embedded default), inmemory (tests), rabbitmq, postgresql.</summary>
    public string Kind { get; init; } = "sqlite";

    /// <summary>SQLite file; defaults to the storage file so one transaction covers message and state.</summary>
    public string? Path { get; init; }

    /// <summary>Connection string (rabbitmq, postgresql); may be a secret reference.</summary>
    public string? Connection { get; init; }

    public Durability Durability { get; init; } = Durability.Normal;

    /// <summary>How long a received message stays invisible to other receivers before it counts as abandoned.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often idle receivers look for messages sent by other processes (in-process sends wake them at once).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public ConfigMapping? Options { get; init; }
}

public sealed record StorageSettings
{
    public string Kind { get; init; } = "sqlite";
    public string Path { get; init; } = "./data/router.db";
    public string? Connection { get; init; }
}

public sealed record HttpSettings
{
    /// <summary>Where webhooks, the 1C exchange and the admin API listen; null disables HTTP.</summary>
    public string? Listen { get; init; }
}

public sealed record LimitSettings
{
    public long MaxMessageSize { get; init; } = 16 * 1024 * 1024;
}

public sealed record LoggingSettings
{
    public string Level { get; init; } = "information";

    /// <summary>text or json.</summary>
    public string Format { get; init; } = "text";
}

public sealed record DefaultSettings
{
    public int RouteParallelism { get; init; } = 4;
    public int DeliveryParallelism { get; init; } = 8;
    public ResilienceSettings Resilience { get; init; } = new();
}

public enum BackoffKind { Constant, Linear, Exponential }

public sealed record RetrySettings
{
    /// <summary>Retries after the first attempt, within one receive of the message.</summary>
    public int Attempts { get; init; } = 4;
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(200);
    public BackoffKind Backoff { get; init; } = BackoffKind.Exponential;
    public bool Jitter { get; init; } = true;
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}

public sealed record CircuitBreakerSettings
{
    public double FailureRatio { get; init; } = 0.5;
    public int MinimumThroughput { get; init; } = 10;
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromMinutes(5);
}

public sealed record RateLimitSettings
{
    public int PermitsPerSecond { get; init; }
}

/// <summary>
/// After the in-process retries fail with a transient error, the message is deferred (Rebus deferral, no thread
/// held) by each of these delays in turn, then dead-lettered.
/// </summary>
public sealed record RedeliverySettings
{
    public IReadOnlyList<TimeSpan> Delays { get; init; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)];
}

public sealed record ResilienceSettings
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public RetrySettings Retry { get; init; } = new();

    /// <summary>Null disables the breaker.</summary>
    public CircuitBreakerSettings? CircuitBreaker { get; init; } = new();

    public RateLimitSettings? RateLimit { get; init; }
    public RedeliverySettings Redelivery { get; init; } = new();
}
