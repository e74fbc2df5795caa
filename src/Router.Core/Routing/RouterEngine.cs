using Rebus.Activation;
using Rebus.Bus;
using Rebus.Config;
using Rebus.Retry;
using Rebus.Retry.Simple;
using Rebus.Serialization.Json;
using Router.Core.Endpoints;
using Router.Core.Leases;
using Router.Core.Messages;
using Router.Core.Sagas;

namespace Router.Core.Routing;

/// <summary>
/// Runs a router: one Rebus bus per queue (each route, each delivery leg's endpoint) with its own parallelism,
/// a one-way client for hand-offs and replays, the inbound pollers and push consumers. Stopping finishes in-flight messages
/// (or returns them to their queues) before the transport closes, so nothing is lost.
/// </summary>
public sealed class RouterEngine : IAsyncDisposable
{
    private readonly RouterRuntime runtime;
    private readonly List<IBus> buses = [];
    private readonly ParkingLot parking;
    private readonly CancellationTokenSource abandon = new();
    private int inFlight;
    private long handOffs;
    private IBus? oneWayBus;

    public RouterEngine(RouterRuntime runtime)
    {
        this.runtime = runtime;
        parking = new ParkingLot(runtime);
    }

    /// <summary>How long a stop lets in-flight messages finish before cancelling them (they then go back to their queues).</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(30);

    public IBus OneWayBus => oneWayBus ?? throw new InvalidOperationException("the engine has not been started");

    public IInboundSink Sink => new InboundHandOff(runtime, OneWayBus, () => Interlocked.Increment(ref handOffs));

    /// <summary>Hand-offs that accepted something since the start (polls, webhooks, 1C's calls): unchanged over a while means the sources are quiet.</summary>
    public long HandOffs => Interlocked.Read(ref handOffs);

    public DeadLetterAdmin DeadLetterAdmin => new(runtime, OneWayBus);

    /// <summary>Messages being handled right now, across every queue.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>Starts the one-way client only: for CLI verbs that send (send, dlq replay) without receiving.</summary>
    public void StartClient()
    {
        oneWayBus ??= Configure.OneWayClient()
            .Logging(l => l.Use(new SerilogRebusLoggerFactory(runtime.Logger)))
            .Transport(t => runtime.Transport.ConfigureOneWayClient(t))
            .Serialization(s => s.UseSystemTextJson(RouterJson.Options, System.Text.Encoding.UTF8))
            .Start();
    }

    /// <summary>Starts the client and a receiving bus per queue.</summary>
    public void Start()
    {
        StartClient();
        var routeStage = new RouteStage(runtime, parking, abandon.Token);
        var deliveryStage = new DeliveryStage(runtime, parking, abandon.Token);
        foreach (var route in runtime.Routes.Values)
        {
            var activator = new BuiltinHandlerActivator();
            activator.Handle<RouteMessage>((bus, context, message) => Track(() => routeStage.HandleAsync(bus, context, message)));
            buses.Add(StartBus(activator, route.Queue, route.Parallelism));
        }
        foreach (var endpointId in runtime.DeliveryEndpoints)
        {
            var activator = new BuiltinHandlerActivator();
            var saga = runtime.Outbound.GetValueOrDefault(endpointId) as ISagaEndpoint;
            if (saga is not null)
            {
                // A saga's queue runs the saga instead of the delivery stage; its state commits with the message.
                saga.Register(activator, new SagaHosting(runtime, Track, abandon.Token));
            }
            else
            {
                activator.Handle<DeliveryMessage>((bus, context, message) => Track(() => deliveryStage.HandleAsync(bus, context, message)));
            }
            buses.Add(StartBus(activator, QueueNames.ForDelivery(endpointId), runtime.DeliveryParallelism(endpointId), withSagas: saga is not null));
        }
        runtime.Logger.Information("Router started: {Routes} routes, {Legs} delivery queues on {Transport}",
            runtime.Routes.Count, runtime.DeliveryEndpoints.Count, runtime.Transport.Name);
    }

    private IBus StartBus(BuiltinHandlerActivator activator, string queue, int parallelism, bool withSagas = false)
    {
        var configurer = Configure.With(activator)
            .Logging(l => l.Use(new SerilogRebusLoggerFactory(runtime.Logger)))
            .Transport(t => runtime.Transport.ConfigureReceiver(t, queue, parallelism))
            .Serialization(s => s.UseSystemTextJson(RouterJson.Options, System.Text.Encoding.UTF8))
            .Options(o =>
            {
                o.SetBusName(queue);
                o.SetNumberOfWorkers(1);
                o.SetMaxParallelism(parallelism);
                o.SetWorkerShutdownTimeout(ShutdownGrace + TimeSpan.FromSeconds(10));
                // The stages handle expected failures themselves; Rebus's attempts cover the unexpected (a bug, a busy database).
                o.RetryStrategy(errorQueueName: QueueNames.Error, maxDeliveryAttempts: 5);
                o.Register<IErrorHandler>(_ => new DeadLetterErrorHandler(runtime, queue));
            });
        runtime.Transport.ConfigureBus(configurer);
        if (withSagas)
        {
            configurer.Sagas(s => runtime.Sagas.Configure(s));
            // Counted in flight from the front of the pipeline: loading the saga's state comes before its handler,
            // and a drain must not see the queue empty and nothing running while that happens.
            configurer.Options(o => o.Decorate<Rebus.Pipeline.IPipeline>(c => new Rebus.Pipeline.PipelineStepConcatenator(c.Get<Rebus.Pipeline.IPipeline>())
                .OnReceive(new InFlightStep(Track), Rebus.Pipeline.PipelineAbsolutePosition.Front)));
        }
        return configurer.Start();
    }

    private async Task Track(Func<Task> handle)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            await handle().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>Polls every inbound endpoint once (the <c>run --once</c> pass).</summary>
    public async Task<IReadOnlyDictionary<string, PollResult>> PollAllOnceAsync(TimeSpan? settle, CancellationToken cancellationToken)
    {
        var sink = Sink;
        var polls = runtime.Inbound.Values
            .Where(e => runtime.RoutesFrom(e.Id).Any())
            .Select(async endpoint =>
            {
                // Another host's poller holds the endpoint: it takes what arrives, this pass must not take it too.
                // A push source's consumers compete natively, so it needs no lease.
                if (endpoint is not IPushInboundEndpoint && !await runtime.Leases.TryHoldAsync(LeaseNames.Poller(endpoint.Id), cancellationToken).ConfigureAwait(false))
                {
                    runtime.Logger.Warning("Not polling {Endpoint}: another host holds its lease and polls it", endpoint.Id);
                    return (endpoint.Id, Result: PollResult.Empty);
                }
                return (endpoint.Id, Result: await endpoint.PollAsync(sink, settle, cancellationToken).ConfigureAwait(false));
            });
        var results = await Task.WhenAll(polls).ConfigureAwait(false);
        return results.ToDictionary(r => r.Id, r => r.Result, StringComparer.Ordinal);
    }

    /// <summary>
    /// Polls each inbound endpoint on its own interval until cancelled (a failing poll is logged and retried next
    /// interval), and runs each push endpoint's consumer until cancelled (one that stops unexpectedly is started again).
    /// </summary>
    public Task RunPollersAsync(CancellationToken cancellationToken)
    {
        var sink = Sink;
        var consumers = runtime.Inbound.Values
            .OfType<IPushInboundEndpoint>()
            .Where(e => runtime.RoutesFrom(e.Id).Any())
            .Select(endpoint => Task.Run(() => RunPushAsync(endpoint, sink, cancellationToken), CancellationToken.None));
        var loops = runtime.Inbound.Values
            .Where(e => e.PollInterval is not null && runtime.RoutesFrom(e.Id).Any())
            .Select(endpoint => Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(endpoint.PollInterval!.Value, runtime.Clock);
                var lease = LeaseNames.Poller(endpoint.Id);
                var holding = false;
                do
                {
                    try
                    {
                        // Each tick asks again: a host that lost its lease stops, one that finds it free takes over.
                        var held = await runtime.Leases.TryHoldAsync(lease, cancellationToken).ConfigureAwait(false);
                        if (held != holding)
                        {
                            runtime.Logger.Information(held ? "This host now polls {Endpoint} (took its lease)" : "Another host polls {Endpoint} now (lease lost)",
                                endpoint.Id);
                            holding = held;
                        }
                        if (held)
                        {
                            await endpoint.PollAsync(sink, null, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        runtime.Logger.Error(e, "Polling {Endpoint} failed; trying again in {Interval}", endpoint.Id, endpoint.PollInterval);
                    }
                }
                while (await WaitNextAsync(timer, cancellationToken).ConfigureAwait(false));
                await ReleaseLeaseAsync(lease).ConfigureAwait(false);
            }, CancellationToken.None));
        return Task.WhenAll(loops.Concat(consumers));
    }

    /// <summary>No lease: every host consumes, and the source (a queue) shares the work among them.</summary>
    private async Task RunPushAsync(IPushInboundEndpoint endpoint, IInboundSink sink, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await endpoint.RunAsync(sink, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The endpoint recovers from what it expects (a lost connection); this is the unexpected.
                runtime.Logger.Error(e, "Consuming {Endpoint} failed; starting again in {Pause}", endpoint.Id, pause);
                try
                {
                    await Task.Delay(pause, runtime.Clock, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>On the way out, so another host takes over at its next attempt instead of when this one's connection closes.</summary>
    private async Task ReleaseLeaseAsync(string lease)
    {
        try
        {
            await runtime.Leases.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            runtime.Logger.Warning(e, "Releasing lease {Lease} failed; it lapses when this host's connection closes", lease);
        }
    }

    private static async Task<bool> WaitNextAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Drains, then waits until nothing new has arrived for <paramref name="quiet"/>, draining again whenever something
    /// did: callers that answer the router's own calls later (a payment's webhook after the payer paid) get their
    /// turn. With a zero <paramref name="quiet"/> this is one drain.
    /// </summary>
    public async Task<bool> WaitUntilQuietAsync(TimeSpan timeout, TimeSpan quiet, CancellationToken cancellationToken)
    {
        var deadline = runtime.Clock.GetUtcNow() + timeout;
        while (true)
        {
            var mark = HandOffs;
            if (!await WaitUntilDrainedAsync(deadline - runtime.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            if (quiet <= TimeSpan.Zero)
            {
                return true;
            }
            var quietUntil = runtime.Clock.GetUtcNow() + quiet;
            while (HandOffs == mark && runtime.Clock.GetUtcNow() < quietUntil)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), runtime.Clock, cancellationToken).ConfigureAwait(false);
            }
            if (HandOffs == mark)
            {
                return true;
            }
            if (runtime.Clock.GetUtcNow() >= deadline)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Waits until no queue has a ready or leased message and no handler runs, seen twice in a row (a handler may
    /// be between receiving and counting itself). Deferred messages that are not due yet do not count.
    /// </summary>
    public async Task<bool> WaitUntilDrainedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var queues = runtime.AllQueues;
        var deadline = runtime.Clock.GetUtcNow() + timeout;
        var quietChecks = 0;
        while (runtime.Clock.GetUtcNow() < deadline)
        {
            var backlog = await runtime.Transport.GetBacklogAsync(queues, cancellationToken).ConfigureAwait(false);
            quietChecks = backlog.IsDrained && InFlight == 0 ? quietChecks + 1 : 0;
            if (quietChecks >= 2)
            {
                return true;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), runtime.Clock, cancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        // Receivers first (they finish or, after the grace period, return their in-flight messages), the client last.
        if (buses.Count > 0)
        {
            abandon.CancelAfter(ShutdownGrace);
            await Task.WhenAll(buses.Select(bus => Task.Run(bus.Dispose))).ConfigureAwait(false);
            buses.Clear();
        }
        oneWayBus?.Dispose();
        oneWayBus = null;
        abandon.Dispose();
    }
}

/// <summary>Counts a message in flight for the whole of its incoming pipeline.</summary>
internal sealed class InFlightStep(Func<Func<Task>, Task> track) : Rebus.Pipeline.IIncomingStep
{
    public Task Process(Rebus.Pipeline.IncomingStepContext context, Func<Task> next) => track(next);
}
