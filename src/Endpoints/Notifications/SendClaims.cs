using System.Text.Json;
using Router.Core.Failures;
using Router.Core.Stores;

namespace Router.Endpoints.Notifications;

/// <summary>What a claim record says about one recipient of one delivery.</summary>
public static class ClaimStatus
{
    /// <summary>Taken just before the gateway is called; still there means the outcome is unknown.</summary>
    public const string Claimed = "claimed";

    /// <summary>The gateway accepted it: never send again.</summary>
    public const string Sent = "sent";

    /// <summary>The gateway refused this recipient for good: sending again would fail the same way.</summary>
    public const string Rejected = "rejected";

    /// <summary>The gateway certainly did not send (it said so, or was never reached): the next attempt claims anew.</summary>
    public const string Released = "released";

    /// <summary>The call broke off after the request left (timeout, dropped answer): a human must decide.</summary>
    public const string Unknown = "unknown";
}

/// <summary>The claim taken for one recipient, or what an earlier attempt already recorded for it.</summary>
/// <param name="RecordKey">The key of the record to update after the send.</param>
/// <param name="Previous">The earlier attempt's final record (sent, rejected, claimed, unknown); null when this attempt holds a fresh claim.</param>
public sealed record RecipientClaim(string Recipient, string RecordKey, PartnerRecord? Previous)
{
    public bool IsFresh => Previous is null;

    public bool WasSent => Previous?.Status == ClaimStatus.Sent;

    public bool WasRejected => Previous?.Status == ClaimStatus.Rejected;

    public bool IsUnknown => Previous?.Status is ClaimStatus.Claimed or ClaimStatus.Unknown;
}

/// <summary>
/// Claim-before-send for gateways that have no idempotency key of their own (SMS, SMTP): a durable record per
/// (delivery, recipient) is inserted before the gateway is called, so a redelivery of a message that was sent
/// finds "sent" and sends nothing, and one that finds a claim with no answer (the host died mid-call, or the call
/// timed out after the request left) stops for a human instead of risking a second SMS.
/// </summary>
/// <remarks>
/// The store can insert-if-absent but not compare-and-swap, so a claim released after a definite transient failure
/// is not reused: it points to a next generation (<c>key#2</c>, <c>key#3</c>…) that the next attempt claims with
/// another insert-if-absent. Two racing deliveries therefore can never both hold a claim for the same recipient.
/// </remarks>
public sealed class SendClaims
{
    private const int MaxGenerations = 1000;

    private readonly IPartnerRecordStore store;
    private readonly string endpointId;
    private readonly TimeProvider clock;

    public SendClaims(IPartnerRecordStore store, string endpointId, TimeProvider clock)
    {
        this.store = store;
        this.endpointId = endpointId;
        this.clock = clock;
    }

    public static string KeyOf(string idempotencyKey, string recipient) => $"{idempotencyKey}:{recipient}";

    /// <summary>Claims <paramref name="recipient"/> for this delivery, or returns what an earlier attempt recorded.</summary>
    public async Task<RecipientClaim> ClaimAsync(string idempotencyKey, string recipient, CancellationToken cancellationToken)
    {
        var baseKey = KeyOf(idempotencyKey, recipient);
        for (var generation = 1; generation <= MaxGenerations; generation++)
        {
            var key = generation == 1 ? baseKey : $"{baseKey}#{generation}";
            var claim = new PartnerRecord(endpointId, key, ClaimStatus.Claimed,
                JsonSerializer.Serialize(new ClaimData(recipient, null, null, null)), clock.GetUtcNow());
            var existing = await store.TryInsertAsync(claim, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                return new RecipientClaim(recipient, key, null);
            }
            if (existing.Status != ClaimStatus.Released)
            {
                return new RecipientClaim(recipient, key, existing);
            }
        }
        throw new PermanentFailureException("claims-exhausted", $"{recipient}: more than {MaxGenerations} attempts were released without a send");
    }

    /// <summary>Records the gateway's definite answer (or the lack of one) for a claim this attempt holds.</summary>
    public Task RecordAsync(RecipientClaim claim, string status, string? gatewayId, string? code, string? detail, CancellationToken cancellationToken) =>
        store.UpsertAsync(new PartnerRecord(endpointId, claim.RecordKey, status,
            JsonSerializer.Serialize(new ClaimData(claim.Recipient, gatewayId, code, detail)), clock.GetUtcNow()), cancellationToken);

    /// <summary>What a record says, for messages: the gateway's id and answer.</summary>
    public static ClaimData Read(PartnerRecord record)
    {
        try
        {
            return JsonSerializer.Deserialize<ClaimData>(record.DataJson) ?? new ClaimData("", null, null, null);
        }
        catch (JsonException)
        {
            return new ClaimData("", null, null, record.DataJson);
        }
    }
}

/// <param name="GatewayId">sms_id, SMSC's id, the e-mail's Message-ID.</param>
public sealed record ClaimData(string Recipient, string? GatewayId, string? Code, string? Detail);
