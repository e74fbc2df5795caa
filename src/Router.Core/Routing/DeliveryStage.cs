using System.Diagnostics;
using System.Globalization;
using Polly.CircuitBreaker;
using Rebus.Bus;
using Rebus.Pipeline;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Stages.Resilience;
using Router.Core.Stores;

namespace Router.Core.Routing;

/// <summary>
/// Runs on an endpoint's delivery queue: leg inbox → leg ordering → the endpoint's side effect under its Polly
/// pipeline (with the leg's idempotency key) → journal. Transient failures that outlast the in-process retries
/// are deferred (no thread held) by the configured redelivery delays, then dead-lettered; permanent ones are
/// dead-lettered at once; an open breaker with a fallback delivers to the fallback instead.
/// </summary>
public sealed class DeliveryStage(RouterRuntime runtime, ParkingLot parking, CancellationToken abandon)
{
    private readonly DeliveryReplies replies = new(runtime);

    public async Task HandleAsync(IBus bus, IMessageContext context, DeliveryMessage message)
    {
        // Not Rebus's token: that one is cancelled the moment a stop begins, which would cut off a request the
        // partner may already have acted on. This one is cancelled only when the stop's grace period runs out.
        var cancellationToken = abandon;
        var envelope = message.Envelope;
        var endpointId = message.EndpointId;
        var routeId = message.RouteId;
        var leg = message.Leg;
        var now = runtime.Clock.GetUtcNow();
        var changes = new StateChanges();
        var isReplay = context.Headers.ContainsKey(RouterHeaders.ReplayOf);
        var redelivery = context.Headers.TryGetValue(RouterHeaders.Redelivery, out var r) && int.TryParse(r, CultureInfo.InvariantCulture, out var n) ? n : 0;
        // Built only when something is logged: most deliveries log nothing, and this is the hot path.
        Serilog.ILogger Log() => runtime.Logger.ForContext("MessageId", envelope.MessageId).ForContext("CorrelationId", envelope.EffectiveCorrelationId)
            .ForContext("Route", routeId).ForContext("Leg", leg);
        var inboxScope = "leg:" + leg;
        var hash = PayloadHash.Compute(envelope.Payload);
        var entityKey = message.Ordering?.Key;
        var facts = message.Ordering is { } s ? RouteStage.StampFacts(s) : new Dictionary<string, string>();

        var (verdict, existing) = await runtime.State.Inbox.CheckAsync(inboxScope, envelope.MessageId, hash, cancellationToken).ConfigureAwait(false);
        if (verdict == InboxVerdict.Duplicate)
        {
            changes.Journal.Add(Journal.Entry(now, envelope, routeId, endpointId, JournalSteps.Duplicate, "already delivered on this leg"));
            await ResolveIfReplayAsync(bus, message, isReplay, changes, cancellationToken).ConfigureAwait(false);
            runtime.Transport.EnlistState(context.TransactionContext, changes);
            return;
        }
        if (verdict == InboxVerdict.Conflict)
        {
            facts["first-payload-hash"] = existing!.PayloadHash;
            facts["new-payload-hash"] = hash;
            DeadLetter(changes, message, FailureKind.Permanent, ErrorCodes.IdempotencyConflict,
                $"message id '{envelope.MessageId}' was delivered on {leg} with payload {existing.PayloadHash} and now arrives with {hash}", now, 1, facts);
            runtime.Transport.EnlistState(context.TransactionContext, changes);
            return;
        }
        if (message.Ordering is { } stamp)
        {
            var applied = await runtime.State.EntityVersions.GetAsync(inboxScope, stamp.Key, cancellationToken).ConfigureAwait(false);
            if (applied is { } last && stamp.Version <= last)
            {
                changes.InboxEntries.Add(new InboxEntry(inboxScope, envelope.MessageId, hash, now));
                changes.Journal.Add(Journal.Entry(now, envelope, routeId, endpointId, JournalSteps.Stale,
                    $"version {stamp.Version} of '{stamp.Key}' is not newer than {last} already delivered"));
                await ResolveIfReplayAsync(bus, message, isReplay, changes, cancellationToken).ConfigureAwait(false);
                runtime.Transport.EnlistState(context.TransactionContext, changes);
                return;
            }
        }

        var endpoint = runtime.Outbound.GetValueOrDefault(endpointId)
            ?? throw new PermanentFailureException(ErrorCodes.Unexpected, $"no outbound endpoint '{endpointId}' in the current configuration");
        var resilience = runtime.Resilience[endpointId];
        var delivery = new DeliveryContext
        {
            RouteId = routeId,
            EndpointId = endpointId,
            IdempotencyKey = MessageIds.IdempotencyKey(envelope.MessageId, leg),
            Attempt = redelivery + 1,
        };
        var failures = new List<AttemptFailure>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var plan = endpoint.Plan(envelope, delivery);
            var receipt = await resilience.ExecuteAsync(ct => endpoint.DeliverAsync(plan, delivery, ct), failures, cancellationToken).ConfigureAwait(false);
            JournalAttempts(changes, envelope, routeId, endpointId, failures, now);
            changes.Journal.Add(Journal.Entry(now, envelope, routeId, endpointId, JournalSteps.Delivered, receipt.Detail, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            Log().Debug("Delivered {MessageId} on {Leg}: {Receipt}", envelope.MessageId, leg, receipt.Detail);
            await replies.HandOffAsync(bus, endpointId, envelope, receipt, changes, now, Log).ConfigureAwait(false);
        }
        catch (BrokenCircuitException open) when (runtime.Config.FindEndpoint(endpointId)?.Fallback is { } fallbackId && !cancellationToken.IsCancellationRequested)
        {
            JournalAttempts(changes, envelope, routeId, endpointId, failures, now);
            if (!await TryFallbackAsync(bus, message, fallbackId, delivery, changes, now, Log, cancellationToken).ConfigureAwait(false))
            {
                await ScheduleRedeliveryOrDeadLetterAsync(bus, message, redelivery, open, open.RetryAfter, changes, now, facts, failures.Count + 1, Log).ConfigureAwait(false);
                runtime.Transport.EnlistState(context.TransactionContext, changes);
                return;
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down (however the endpoint reported the cancelled attempt): let Rebus return the message to
            // its queue; nothing was committed, and the next receive delivers it with the same idempotency key.
            throw;
        }
        catch (Exception e)
        {
            JournalAttempts(changes, envelope, routeId, endpointId, failures, now);
            var kind = FailureClassifier.Classify(e);
            if (e is BrokenCircuitException open && failures.Count == 0
                && await TryWaitForCircuitAsync(bus, context, message, open, changes, now, Log).ConfigureAwait(false))
            {
                // Nothing was called: the wait costs the message none of its redeliveries.
            }
            else if (kind == FailureKind.Transient)
            {
                var hint = e switch
                {
                    TransientFailureException t => t.RetryAfter,
                    BrokenCircuitException b => b.RetryAfter,
                    _ => null,
                };
                await ScheduleRedeliveryOrDeadLetterAsync(bus, message, redelivery, e, hint, changes, now, facts, failures.Count + 1, Log).ConfigureAwait(false);
            }
            else
            {
                DeadLetter(changes, message, FailureKind.Permanent, FailureClassifier.CodeOf(e), e.Message, now, failures.Count + 1, facts, DeadLetters.Describe(e));
                Log().Warning("Delivery of {MessageId} on {Leg} failed permanently: {Error}", envelope.MessageId, leg, e.Message);
            }
            runtime.Transport.EnlistState(context.TransactionContext, changes);
            return;
        }

        // Only a delivered (or fallen-back) message counts as applied: a failed one must stay replayable.
        changes.InboxEntries.Add(new InboxEntry(inboxScope, envelope.MessageId, hash, now));
        if (message.Ordering is { } delivered)
        {
            changes.EntityVersions.Add(new EntityVersionUpdate(inboxScope, delivered.Key, delivered.Version));
        }
        await ResolveIfReplayAsync(bus, message, isReplay, changes, cancellationToken).ConfigureAwait(false);
        runtime.Transport.EnlistState(context.TransactionContext, changes);
    }

    /// <summary>The primary's breaker is open: deliver the same plan to the fallback endpoint, same idempotency key.</summary>
    private async Task<bool> TryFallbackAsync(IBus bus, DeliveryMessage message, string fallbackId, DeliveryContext primary, StateChanges changes,
        DateTimeOffset now, Func<Serilog.ILogger> log, CancellationToken cancellationToken)
    {
        var fallback = runtime.Outbound[fallbackId];
        var context = primary with { EndpointId = fallbackId };
        var failures = new List<AttemptFailure>();
        try
        {
            var plan = fallback.Plan(message.Envelope, context);
            var receipt = await runtime.Resilience[fallbackId].ExecuteAsync(ct => fallback.DeliverAsync(plan, context, ct), failures, cancellationToken).ConfigureAwait(false);
            changes.Journal.Add(Journal.Entry(now, message.Envelope, message.RouteId, message.EndpointId, JournalSteps.Fallback,
                $"circuit of '{message.EndpointId}' is open; delivered to '{fallbackId}': {receipt.Detail}"));
            await replies.HandOffAsync(bus, fallbackId, message.Envelope, receipt, changes, now, log).ConfigureAwait(false);
            log().Warning("Circuit of {Endpoint} open: {MessageId} delivered to fallback {Fallback}", message.EndpointId, message.Envelope.MessageId, fallbackId);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            JournalAttempts(changes, message.Envelope, message.RouteId, fallbackId, failures, now);
            changes.Journal.Add(Journal.Entry(now, message.Envelope, message.RouteId, message.EndpointId, JournalSteps.Failed,
                $"fallback '{fallbackId}' failed too: {e.Message}"));
            return false;
        }
    }

    /// <summary>
    /// The breaker refused the call before it was made (a partner known to be failing): wait for it to close without
    /// spending one of the message's redeliveries, or a backlog would use them all up against a breaker that lets one
    /// probe through at a time. The waits are spread over the break, so the queue does not return as one herd, and
    /// bounded, so a partner that never recovers still ends in the dead-letter store.
    /// </summary>
    private async Task<bool> TryWaitForCircuitAsync(IBus bus, IMessageContext context, DeliveryMessage message, BrokenCircuitException open,
        StateChanges changes, DateTimeOffset now, Func<Serilog.ILogger> log)
    {
        var waits = context.Headers.TryGetValue(RouterHeaders.CircuitWaits, out var w) && int.TryParse(w, CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (waits >= MaxCircuitWaits)
        {
            return false;
        }
        var breakDuration = runtime.Resilience[message.EndpointId].Settings.CircuitBreaker?.BreakDuration ?? TimeSpan.FromSeconds(30);
        var rest = open.RetryAfter is { } r && r > TimeSpan.Zero ? r : breakDuration;
        var delay = rest + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * breakDuration.TotalMilliseconds);
        await bus.Advanced.TransportMessage.Defer(delay, new Dictionary<string, string>
        {
            [RouterHeaders.CircuitWaits] = (waits + 1).ToString(CultureInfo.InvariantCulture),
        }).ConfigureAwait(false);
        changes.Journal.Add(Journal.Entry(now, message.Envelope, message.RouteId, message.EndpointId, JournalSteps.RetryScheduled,
            $"circuit of '{message.EndpointId}' is open; waiting {delay.TotalSeconds:0.#} s for it to close (wait {waits + 1} of {MaxCircuitWaits})"));
        log().Debug("Circuit of {Endpoint} open: {MessageId} waits {Delay} for it to close", message.EndpointId, message.Envelope.MessageId, delay);
        return true;
    }

    /// <summary>How many open-circuit periods a delivery waits through before it is dead-lettered as undeliverable.</summary>
    public const int MaxCircuitWaits = 50;

    private async Task ScheduleRedeliveryOrDeadLetterAsync(IBus bus, DeliveryMessage message, int redelivery, Exception error, TimeSpan? hint,
        StateChanges changes, DateTimeOffset now, Dictionary<string, string> facts, int attempts, Func<Serilog.ILogger> log)
    {
        var delays = runtime.Resilience[message.EndpointId].Settings.Redelivery.Delays;
        if (redelivery < delays.Count)
        {
            var delay = hint is { } h && h > delays[redelivery] ? h : delays[redelivery];
            await bus.Advanced.TransportMessage.Defer(delay, new Dictionary<string, string>
            {
                [RouterHeaders.Redelivery] = (redelivery + 1).ToString(CultureInfo.InvariantCulture),
            }).ConfigureAwait(false);
            changes.Journal.Add(Journal.Entry(now, message.Envelope, message.RouteId, message.EndpointId, JournalSteps.RetryScheduled,
                $"{FailureClassifier.CodeOf(error)}: {error.Message}; redelivery {redelivery + 1} of {delays.Count} in {delay}"));
            log().Warning("Delivery of {MessageId} on {Leg} failed ({Error}); redelivery {Redelivery} of {Redeliveries} in {Delay}",
                message.Envelope.MessageId, message.Leg, error.Message, redelivery + 1, delays.Count, delay);
            return;
        }
        var retryCount = runtime.Resilience[message.EndpointId].Settings.Retry.Attempts + 1;
        DeadLetter(changes, message, FailureKind.Transient, ErrorCodes.RetriesExhausted,
            $"{FailureClassifier.CodeOf(error)}: {error.Message} (gave up after {redelivery} redeliveries)", now,
            attempts + redelivery * retryCount, facts, DeadLetters.Describe(error));
        log().Error("Delivery of {MessageId} on {Leg} dead-lettered after {Redeliveries} redeliveries: {Error}",
            message.Envelope.MessageId, message.Leg, redelivery, error.Message);
    }

    private async Task ResolveIfReplayAsync(IBus bus, DeliveryMessage message, bool isReplay, StateChanges changes, CancellationToken cancellationToken)
    {
        if (!isReplay)
        {
            return;
        }
        var resolution = new DeadLetterResolution(message.Envelope.MessageId, message.RouteId, message.EndpointId);
        changes.ResolvedDeadLetters.Add(resolution);
        if (message.Ordering is { } stamp)
        {
            await parking.ReleaseIfClearAsync(bus, message.RouteId, stamp.Key, resolution, changes, cancellationToken).ConfigureAwait(false);
        }
        // On a two-way sync route the customer's messages also wait behind a failed delivery that names the customer
        // (its envelope's entity key): they go on when it does, on both routes of the sync.
        if (runtime.Routes.GetValueOrDefault(message.RouteId)?.Conflicts is { } conflicts && (message.Ordering?.Key ?? message.Envelope.EntityKey) is { } entityKey)
        {
            await parking.ReleaseConflictHoldAsync(bus, conflicts.Policy.Entity, entityKey, resolution, changes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void JournalAttempts(StateChanges changes, Envelope envelope, string routeId, string endpointId,
        List<AttemptFailure> failures, DateTimeOffset now)
    {
        foreach (var failure in failures)
        {
            changes.Journal.Add(Journal.Entry(now, envelope, routeId, endpointId, JournalSteps.Failed,
                $"attempt {failure.Attempt}: {failure.Code}: {failure.Message}" + (failure.NextDelay is { } d ? $"; retry in {d.TotalMilliseconds:0} ms" : "")));
        }
    }

    private static void DeadLetter(StateChanges changes, DeliveryMessage message, FailureKind kind, string code, string text, DateTimeOffset now,
        int attempts, IReadOnlyDictionary<string, string> facts, string? details = null)
    {
        changes.DeadLetters.Add(DeadLetters.For(message.Envelope, message.RouteId, message.EndpointId, kind, code, text, now, details, attempts,
            entityKey: message.Ordering?.Key, facts: facts));
        changes.Journal.Add(Journal.Entry(now, message.Envelope, message.RouteId, message.EndpointId, JournalSteps.DeadLettered, $"{code}: {text}"));
    }
}
