using System.Text.Json;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Messages;

namespace Router.Core.Endpoints;

[Flags]
public enum EndpointDirections
{
    None = 0,
    Inbound = 1,
    Outbound = 2,
    Both = Inbound | Outbound,
}

/// <summary>The YAML of one endpoint after validation: its id, kind and options (the whole mapping), plus the common keys already read.</summary>
public sealed record EndpointDefinition(string Id, string Kind, ConfigMapping Options)
{
    public SourceMark Mark => Options.Mark;

    public string? Description { get; init; }

    /// <summary>The endpoint's resilience merged over <c>router.defaults.resilience</c>.</summary>
    public Config.Model.ResilienceSettings Resilience { get; init; } = new();

    /// <summary>Endpoint to deliver to while this one's circuit breaker is open.</summary>
    public string? Fallback { get; init; }

    /// <summary>Outbound: transformers run on each message just before this endpoint plans its delivery.</summary>
    public IReadOnlyList<Config.Model.StepDefinition> Steps { get; init; } = [];

    /// <summary>Parallel deliveries to this endpoint; null means <c>router.defaults.deliveryParallelism</c>.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Inbound: canonical type of the messages this endpoint produces.</summary>
    public string? MessageType { get; init; }

    /// <summary>Inbound: expression giving the message id from the payload.</summary>
    public string? MessageId { get; init; }

    /// <summary>Inbound: expression giving the entity key from the payload.</summary>
    public string? EntityKey { get; init; }
}

/// <summary>One kind of endpoint (<c>folder</c>, <c>http</c>…): its options and how to build it.</summary>
public interface IEndpointKind
{
    string Kind { get; }

    string Description { get; }

    EndpointDirections Directions { get; }

    /// <summary>
    /// The kind's own options. The common keys (<c>kind</c>, <c>description</c>, <c>resilience</c>, <c>fallback</c>,
    /// <c>parallelism</c>, <c>messageId</c>, <c>entityKey</c>, <c>type</c>) are added by the config schema and
    /// must not be repeated here.
    /// </summary>
    ObjectSchema OptionsSchema { get; }

    IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services);

    IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services);
}

/// <summary>Shared services an endpoint may use. Endpoints do I/O; everything they touch comes from here so tests can swap it.</summary>
public sealed record EndpointServices
{
    public required System.IO.Abstractions.IFileSystem FileSystem { get; init; }
    public required IHttpClientProvider Http { get; init; }
    public required TimeProvider Clock { get; init; }
    public required Serilog.ILogger Logger { get; init; }

    /// <summary>Directory of the config file; relative paths in options are relative to it.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>Records endpoints keep about their side effects: claims before a send, objects to poll.</summary>
    public Stores.IPartnerRecordStore Records { get; init; } = new Stores.InMemoryPartnerRecordStore();

    /// <summary>The largest input accepted (router.limits.maxMessageSize); bigger ones are rejected as too large.</summary>
    public long MaxMessageSize { get; init; } = 16 * 1024 * 1024;

    public string ResolvePath(string path) =>
        FileSystem.Path.GetFullPath(FileSystem.Path.IsPathRooted(path) ? path : FileSystem.Path.Combine(BaseDirectory, path));
}

/// <summary>One HttpClient per endpoint, so connection pools and timeouts are per partner.</summary>
public interface IHttpClientProvider
{
    HttpClient Get(string endpointId);
}

// ---------------------------------------------------------------- inbound

/// <summary>What a source produced, before the router gives it an envelope per route.</summary>
public sealed record InboundMessage
{
    public required JsonElement Payload { get; init; }

    /// <summary>The id the source gave (AMQP message_id, a webhook's event id…), if any.</summary>
    public string? MessageId { get; init; }

    /// <summary>Used when neither the source nor the YAML gives an id: e.g. file name + content hash.</summary>
    public required string FallbackMessageId { get; init; }

    /// <summary>The message type if the source says; otherwise the endpoint's or route's configured type.</summary>
    public string? Type { get; init; }

    public string? CorrelationId { get; init; }
    public string? EntityKey { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = Envelope.EmptyHeaders;

    /// <summary>For logs and errors: the file name, queue and delivery tag, request id…</summary>
    public required string Origin { get; init; }
}

public enum HandOffStatus
{
    /// <summary>Safely on every route queue: acknowledge the source (move the file, ack, answer 200).</summary>
    Accepted,

    /// <summary>Already accepted before with the same content: acknowledge the source too.</summary>
    Duplicate,

    /// <summary>Permanently unacceptable (no message id, unknown type…): keep the original aside (failed/, DLX) with <see cref="HandOffResult.Error"/>.</summary>
    Rejected,
}

public sealed record HandOffResult(HandOffStatus Status, string? Error = null, IReadOnlyList<string>? MessageIds = null);

/// <summary>The router's side of an inbound endpoint: durable hand-off to the route queues.</summary>
public interface IInboundSink
{
    /// <summary>
    /// Puts each message on the queue of every route fed by <paramref name="endpointId"/>, in one durable commit.
    /// Results are in the same order as the messages. When this returns, accepted messages survive power loss.
    /// </summary>
    Task<IReadOnlyList<HandOffResult>> HandOffAsync(string endpointId, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken);

    /// <summary>Records in the journal that an input was refused before it became a message (malformed file, too large).</summary>
    Task RecordRejectedAsync(string endpointId, string origin, string messageId, string error, CancellationToken cancellationToken);
}

public sealed record PollResult(int Accepted, int Duplicates, int Rejected, int Waiting)
{
    public static readonly PollResult Empty = new(0, 0, 0, 0);
}

public interface IInboundEndpoint
{
    string Id { get; }

    /// <summary>How often the host polls; null for push endpoints (webhooks, AMQP consumers).</summary>
    TimeSpan? PollInterval { get; }

    /// <summary>
    /// One pass over the source: takes what is complete, hands it off through <paramref name="sink"/> and only then
    /// acknowledges the source. With <paramref name="settle"/> set (the <c>run --once</c> case), a poller that needs
    /// two observations to see a file complete makes both within this call, waiting that long between them.
    /// </summary>
    Task<PollResult> PollAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken);
}

/// <summary>
/// An inbound endpoint its source pushes to (an AMQP consumer): the host runs it for as long as it runs instead of
/// polling it. Such sources share their work natively (a queue's consumers compete), so every host runs its own and
/// none takes the poller lease. <see cref="IInboundEndpoint.PollAsync"/> still serves <c>run --once</c>: take what is
/// there now, hand it off, stop.
/// </summary>
public interface IPushInboundEndpoint : IInboundEndpoint
{
    /// <summary>
    /// Receives and hands off through <paramref name="sink"/> until <paramref name="cancellationToken"/> is cancelled,
    /// recovering from lost connections itself. A batch already taken is still handed off and acknowledged on the way
    /// out; what was delivered but not taken goes back to the source.
    /// </summary>
    Task RunAsync(IInboundSink sink, CancellationToken cancellationToken);
}

// ---------------------------------------------------------------- outbound

/// <summary>Identifies one delivery attempt of one leg (route → endpoint).</summary>
public sealed record DeliveryContext
{
    public required string RouteId { get; init; }
    public required string EndpointId { get; init; }

    /// <summary>Derived from (messageId, leg), identical across retries, redeliveries and replays.</summary>
    public required string IdempotencyKey { get; init; }

    public int Attempt { get; init; } = 1;

    public string Leg => $"{RouteId}/{EndpointId}";
}

/// <summary>
/// Exactly what a delivery would send: built without I/O, printed by <c>router preview</c>, then executed by
/// <see cref="IOutboundEndpoint.DeliverAsync"/>. Header values listed in <see cref="SecretHeaders"/> are masked when shown.
/// </summary>
public sealed record DeliveryPlan
{
    /// <summary>http, file, …</summary>
    public required string Kind { get; init; }
    public string? Method { get; init; }

    /// <summary>URL, or the full path of the file to write.</summary>
    public required string Target { get; init; }

    /// <summary>The target as it may be shown (credentials and secret query values masked); <see cref="Target"/> when null.</summary>
    public string? DisplayTarget { get; init; }

    public string ShownTarget => DisplayTarget ?? Target;

    public IReadOnlyDictionary<string, string> Headers { get; init; } = Envelope.EmptyHeaders;
    public IReadOnlySet<string> SecretHeaders { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    public string? ContentType { get; init; }
    public required byte[] Body { get; init; }

    /// <summary>Text encoding of <see cref="Body"/> for display; null for binary.</summary>
    public string? Encoding { get; init; } = "utf-8";
}

/// <param name="Detail">One line for the journal: what the partner answered (its id for the object, a status).</param>
public sealed record DeliveryReceipt(string Detail)
{
    /// <summary>
    /// What the partner's answer means for the router (the payment object YooKassa returned, CDEK's order once
    /// registered): handed to the routes that read from this endpoint, in the delivery's own commit, exactly as if
    /// the endpoint had received them inbound. Give each a deterministic <see cref="InboundMessage.MessageId"/>
    /// (e.g. object id + status) so a redelivery's replies are inbox duplicates.
    /// </summary>
    public IReadOnlyList<InboundMessage> Replies { get; init; } = [];
}

public interface IOutboundEndpoint
{
    string Id { get; }

    /// <summary>Pure: what would be sent for this envelope. Throws <see cref="Failures.PermanentFailureException"/> if it cannot be sent at all.</summary>
    DeliveryPlan Plan(Envelope envelope, DeliveryContext context);

    /// <summary>
    /// Performs the plan once (retries are the caller's). Throws <see cref="Failures.TransientFailureException"/> or
    /// <see cref="Failures.PermanentFailureException"/>; anything else is classified by <see cref="Failures.FailureClassifier"/>.
    /// Must be idempotent for the same <see cref="DeliveryContext.IdempotencyKey"/>.
    /// </summary>
    Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken);
}

public sealed class EndpointKindRegistry
{
    private readonly Dictionary<string, IEndpointKind> kinds = new(StringComparer.Ordinal);

    public EndpointKindRegistry(IEnumerable<IEndpointKind> kinds)
    {
        foreach (var kind in kinds)
        {
            if (!this.kinds.TryAdd(kind.Kind, kind))
            {
                throw new InvalidOperationException($"two endpoint kinds are called '{kind.Kind}'");
            }
        }
    }

    public IReadOnlyCollection<IEndpointKind> All => kinds.Values;

    public IEndpointKind? Find(string kind) => kinds.GetValueOrDefault(kind);
}
