using System.Text;
using Router.Core.Endpoints;
using Router.Core.Failures;

namespace Router.Endpoints.Notifications;

public enum RecipientVerdict
{
    Sent,
    Rejected,

    /// <summary>Certainly not sent this time; a later attempt may succeed.</summary>
    Retry,
    Unknown,
}

/// <summary>What the gateway said about one recipient.</summary>
/// <param name="GatewayId">sms_id, SMSC id, Message-ID.</param>
/// <param name="Code">The gateway's code for this recipient (207, 550 5.1.1…).</param>
public sealed record RecipientOutcome(string Recipient, RecipientVerdict Verdict, string? GatewayId, string? Code, string? Detail);

/// <summary>A recipient that was refused before any gateway was asked (a phone number that is not Russian…).</summary>
public sealed record InvalidRecipient(string Recipient, string Reason);

/// <summary>
/// One delivery to several recipients under claim-before-send: claim each, send only to the fresh claims, record
/// each answer, and turn the whole into a receipt or the right failure. Shared by the sms and email endpoints.
/// </summary>
public static class ClaimedSend
{
    public const string UnknownOutcome = "unknown-outcome";

    /// <param name="what">"SMS", "e-mail": for messages.</param>
    /// <param name="gateway">"sms.ru", "smtp://host:587": for messages.</param>
    /// <param name="rejectedCode">The dead-letter code when every recipient was refused.</param>
    public static async Task<DeliveryReceipt> RunAsync(SendClaims claims, DeliveryContext context, string what, string gateway,
        IReadOnlyList<string> recipients, IReadOnlyList<InvalidRecipient> invalid,
        Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<RecipientOutcome>>> send,
        Func<IReadOnlyList<RecipientOutcome>, string> rejectedCode, CancellationToken cancellationToken)
    {
        var taken = new List<RecipientClaim>();
        foreach (var recipient in recipients)
        {
            taken.Add(await claims.ClaimAsync(context.IdempotencyKey, recipient, cancellationToken).ConfigureAwait(false));
        }
        var fresh = taken.Where(c => c.IsFresh).ToList();
        var outcomes = new List<RecipientOutcome>();
        foreach (var earlier in taken.Where(c => !c.IsFresh))
        {
            var data = SendClaims.Read(earlier.Previous!);
            var verdict = earlier.WasSent ? RecipientVerdict.Sent : earlier.WasRejected ? RecipientVerdict.Rejected : RecipientVerdict.Unknown;
            var detail = verdict == RecipientVerdict.Unknown
                ? $"an earlier attempt claimed it at {earlier.Previous!.UpdatedAt:u} and recorded no answer{(data.Detail is { } d ? " (" + d + ")" : "")}"
                : "already " + earlier.Previous!.Status + " by an earlier attempt" + (data.Detail is { } note ? ": " + note : "");
            outcomes.Add(new RecipientOutcome(earlier.Recipient, verdict, data.GatewayId, data.Code, detail));
        }

        if (fresh.Count > 0)
        {
            IReadOnlyList<RecipientOutcome> answers;
            try
            {
                answers = await send(fresh.Select(c => c.Recipient).ToList(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TransientFailureException or PermanentFailureException)
            {
                // The gateway refused the whole request or was never reached: nothing went out, so the next attempt
                // (a retry, or a replay after the credentials are fixed) may claim and send.
                foreach (var claim in fresh)
                {
                    await claims.RecordAsync(claim, ClaimStatus.Released, null, FailureClassifier.CodeOf(ex), ex.Message, CancellationToken.None).ConfigureAwait(false);
                }
                throw;
            }
            catch (Exception ex)
            {
                // Recorded even when the attempt was cancelled: the claim must say why it has no answer.
                foreach (var claim in fresh)
                {
                    await claims.RecordAsync(claim, ClaimStatus.Unknown, null, null, ex.Message, CancellationToken.None).ConfigureAwait(false);
                }
                throw new PermanentFailureException(UnknownOutcome, UnknownMessage(what, gateway, fresh.Select(c => c.Recipient), ex.Message), ex);
            }
            foreach (var claim in fresh)
            {
                var answer = answers.FirstOrDefault(a => a.Recipient == claim.Recipient)
                    ?? new RecipientOutcome(claim.Recipient, RecipientVerdict.Unknown, null, null, "the gateway's answer does not mention it");
                var status = answer.Verdict switch
                {
                    RecipientVerdict.Sent => ClaimStatus.Sent,
                    RecipientVerdict.Rejected => ClaimStatus.Rejected,
                    RecipientVerdict.Retry => ClaimStatus.Released,
                    _ => ClaimStatus.Unknown,
                };
                await claims.RecordAsync(claim, status, answer.GatewayId, answer.Code, answer.Detail, CancellationToken.None).ConfigureAwait(false);
                outcomes.Add(answer);
            }
        }
        outcomes.AddRange(invalid.Select(i => new RecipientOutcome(i.Recipient, RecipientVerdict.Rejected, null, "invalid", i.Reason)));

        var summary = Summarize(what, gateway, outcomes);
        var unknown = outcomes.Where(o => o.Verdict == RecipientVerdict.Unknown).ToList();
        if (unknown.Count > 0)
        {
            throw new PermanentFailureException(UnknownOutcome,
                UnknownMessage(what, gateway, unknown.Select(u => u.Recipient), string.Join("; ", unknown.Select(u => u.Detail))) + " | " + summary);
        }
        if (outcomes.Any(o => o.Verdict == RecipientVerdict.Retry))
        {
            throw new TransientFailureException(summary);
        }
        if (!outcomes.Any(o => o.Verdict == RecipientVerdict.Sent))
        {
            throw new PermanentFailureException(rejectedCode(outcomes), summary);
        }
        return new DeliveryReceipt(summary);
    }

    /// <summary>One line: who got it, with the gateway's ids, who was refused and why.</summary>
    public static string Summarize(string what, string gateway, IReadOnlyList<RecipientOutcome> outcomes)
    {
        var text = new StringBuilder($"{what} via {gateway}:");
        foreach (var group in outcomes.GroupBy(o => o.Verdict))
        {
            text.Append(' ').Append(group.Key switch
            {
                RecipientVerdict.Sent => "sent to",
                RecipientVerdict.Rejected => "rejected",
                RecipientVerdict.Retry => "to retry",
                _ => "unknown",
            }).Append(' ');
            text.AppendJoin(", ", group.Select(o => o.Recipient + Describe(o))).Append(';');
        }
        return text.ToString().TrimEnd(';');
    }

    private static string Describe(RecipientOutcome outcome)
    {
        var parts = outcome.Verdict == RecipientVerdict.Sent
            ? [outcome.GatewayId is { } id ? "id " + id : null, outcome.Detail?.StartsWith("already", StringComparison.Ordinal) == true ? "by an earlier attempt" : null]
            : new[] { outcome.Code, outcome.Detail };
        var shown = parts.Where(p => p is { Length: > 0 }).ToList();
        return shown.Count == 0 ? "" : $" ({string.Join(", ", shown)})";
    }

    private static string UnknownMessage(string what, string gateway, IEnumerable<string> recipients, string reason) =>
        $"{what} to {string.Join(", ", recipients)} via {gateway}: outcome unknown ({reason}); it is sent at most once, so it is not retried: " +
        "the gateway may or may not have sent it. Check the gateway's log for this recipient and time; if it was not sent, " +
        "send the notification again under a new message id, otherwise archive this dead letter";
}
