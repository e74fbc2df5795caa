using System.Text;
using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Notifications;
using Router.Transformers.Templates;
using Serilog;

namespace Router.Endpoints.Sms;

/// <summary>
/// Sends <c>notification.requested</c> (channel sms) as one SMS to each recipient. The plan shows the rendered text
/// and the normalised numbers (never the credentials); delivery claims each number before calling the gateway.
/// </summary>
public sealed class SmsOutboundEndpoint : IOutboundEndpoint
{
    public const string PlanKind = "sms";

    private readonly SmsOptions options;
    private readonly NotificationTemplates templates;
    private readonly EndpointServices services;
    private readonly SendClaims claims;
    private readonly ILogger logger;

    public SmsOutboundEndpoint(string id, SmsOptions options, NotificationTemplates templates, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.templates = templates;
        this.services = services;
        claims = new SendClaims(services.Records, id, services.Clock);
        logger = services.Logger.ForContext<SmsOutboundEndpoint>().ForContext("EndpointId", id);
    }

    public string Id { get; }

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        var notification = NotificationRequests.Read(envelope, NotificationChannel.Sms, Kind);
        var phones = new List<string>();
        var invalid = new List<InvalidRecipient>();
        foreach (var recipient in NotificationRequests.SplitRecipients(notification.Recipient))
        {
            if (RussianPhone.Normalize(recipient) is { } phone)
            {
                if (!phones.Contains(phone))
                {
                    phones.Add(phone);
                }
            }
            else
            {
                invalid.Add(new InvalidRecipient(recipient, "not a Russian (+7) phone number"));
            }
        }
        if (phones.Count == 0)
        {
            throw new PermanentFailureException("invalid-phone",
                $"message {envelope.MessageId}: no phone number to send to in '{notification.Recipient}' (expected +7XXXXXXXXXX)");
        }
        var text = TemplateDirectory.Render(() => templates.RenderSms(notification.Template, NotificationRequests.TemplateData(notification))).Text;
        var body = new SmsPlanBody(options.Gateway.Provider, options.From, phones, text, notification.Template, invalid);
        return new DeliveryPlan
        {
            Kind = PlanKind,
            Method = "POST",
            Target = options.Gateway.SendUrl.AbsoluteUri,
            ContentType = "application/json; charset=utf-8",
            Body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, RouterJson.Indented)),
        };
    }

    public async Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        if (plan.Kind != PlanKind)
        {
            throw new ArgumentException($"an sms endpoint cannot carry out a '{plan.Kind}' plan", nameof(plan));
        }
        var body = JsonSerializer.Deserialize<SmsPlanBody>(plan.Body, RouterJson.Options)
            ?? throw new PermanentFailureException(ErrorCodes.MalformedInput, "the sms plan has no body");
        var gatewayName = options.Gateway.Provider;
        var receipt = await ClaimedSend.RunAsync(claims, context, "SMS", gatewayName, body.To, body.Invalid ?? [],
            (phones, ct) => SendAsync(phones, body, ct),
            outcomes => RejectedCode(gatewayName, outcomes), cancellationToken);
        logger.Information("Sent {Template} SMS for {Leg}: {Receipt}", body.Template, context.Leg, receipt.Detail);
        return receipt;
    }

    private const string Kind = "sms";

    private async Task<IReadOnlyList<RecipientOutcome>> SendAsync(IReadOnlyList<string> phones, SmsPlanBody body, CancellationToken cancellationToken)
    {
        // Gateways want the digits only: 79161234567.
        var request = new SmsRequest(phones.Select(p => p.TrimStart('+')).ToList(), body.Text, body.From);
        var results = await options.Gateway.SendAsync(services.Http.Get(Id), request, cancellationToken);
        return results.Select(r => new RecipientOutcome("+" + r.Phone, r.Outcome switch
        {
            SmsNumberOutcome.Accepted => RecipientVerdict.Sent,
            SmsNumberOutcome.Rejected => RecipientVerdict.Rejected,
            SmsNumberOutcome.Retry => RecipientVerdict.Retry,
            _ => RecipientVerdict.Unknown,
        }, r.GatewayId, r.Code, r.Text)).ToList();
    }

    private static string RejectedCode(string gateway, IReadOnlyList<RecipientOutcome> outcomes) =>
        outcomes.Select(o => o.Code).FirstOrDefault(c => c is { Length: > 0 } && c != "invalid") is { } code ? $"{gateway}-{code}" : "invalid-phone";
}

/// <summary>What an sms plan carries: exactly what will be sent, minus the credentials the gateway adds.</summary>
public sealed record SmsPlanBody(string Provider, string? From, IReadOnlyList<string> To, string Text, string Template, IReadOnlyList<InvalidRecipient>? Invalid);
