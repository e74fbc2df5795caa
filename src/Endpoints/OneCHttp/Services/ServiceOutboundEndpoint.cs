using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Http;
using Router.Endpoints.OneCHttp.OData;

namespace Router.Endpoints.OneCHttp.Services;

/// <summary>
/// An <c>onec-http</c> endpoint in service mode: each message is one JSON POST to 1C's HTTP service (orders to
/// <c>hs/&lt;service&gt;/orders</c>, customers to <c>…/customers</c>) with Basic auth and the delivery's idempotency
/// key, sent and classified like the generic <c>http</c> endpoint but with 1C's reading of error answers.
/// </summary>
public sealed class ServiceOutboundEndpoint : IOutboundEndpoint
{
    public const string OrdersResource = "orders";
    public const string CustomersResource = "customers";

    private static readonly IReadOnlyDictionary<string, string> ResourceByType = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [MessageTypes.OrderCreated] = OrdersResource,
        [MessageTypes.OrderUpdated] = OrdersResource,
        [MessageTypes.OrderCancelled] = OrdersResource,
        [MessageTypes.OrderStatus] = OrdersResource,
        [MessageTypes.CustomerUpserted] = CustomersResource,
    };

    private readonly ServiceOptions options;
    private readonly EndpointServices services;
    private readonly IReadOnlyDictionary<string, HttpOutboundEndpoint> byResource;

    public ServiceOutboundEndpoint(string id, ServiceOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.services = services;
        byResource = new[] { OrdersResource, CustomersResource }.ToDictionary(
            resource => resource,
            resource => new HttpOutboundEndpoint(id, new HttpOutboundOptions
            {
                Url = new Uri(options.BaseUrl, $"hs/{options.Service}/{resource}"),
                UrlIsSecret = options.BaseUrlIsSecret,
                Method = HttpMethod.Post,
                Authorization = options.Authorization,
                IdempotencyHeader = options.IdempotencyHeader,
                SecretValues = options.SecretValues,
            }, services, OneCErrorClassifier.Instance),
            StringComparer.Ordinal);
    }

    public string Id { get; }

    /// <summary>Reads from the same publication with the same login: look-ups for reconciliation.</summary>
    public OneCODataClient OData => new(services.Http.Get(Id), options);

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        if (!ResourceByType.TryGetValue(envelope.Type, out var resource))
        {
            throw new PermanentFailureException("unsupported-type",
                $"endpoint '{Id}' sends orders and customers to 1C's HTTP service ({string.Join(", ", ResourceByType.Keys)}), not '{envelope.Type}'");
        }
        return byResource[resource].Plan(envelope, context);
    }

    public Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        var endpoint = byResource.Values.FirstOrDefault(e => e.Options.Url.AbsoluteUri == plan.Target)
            ?? throw new ArgumentException($"endpoint '{Id}' did not plan a request to {plan.ShownTarget}", nameof(plan));
        return endpoint.DeliverAsync(plan, context, cancellationToken);
    }
}
