using System.Collections.Concurrent;
using Rebus.Logging;
using Router.Transport.RabbitMq.Connections;
using Router.Transport.RabbitMq.Inspection;
using Router.Transport.RabbitMq.Signals;
using Router.Transport.RabbitMq.Topology;

namespace Router.Transport.RabbitMq.Receiving;

/// <summary>
/// Keeps a consumer on the input queue: the broker pushes up to the prefetch count into a local buffer, and
/// <see cref="TryTake"/> hands them out. Started by the first receive (a transport that only inspects or sends never
/// takes messages from the queue). When the channel or connection is lost, the buffered deliveries are dropped (the
/// broker requeued them) and a new consumer is opened, waiting longer between attempts while the broker stays away.
/// </summary>
internal sealed class InputQueueConsumer : IAsyncDisposable
{
    private readonly ConnectionKeeper connections;
    private readonly QueueDeclarations declarations;
    private readonly string queue;
    private readonly RabbitMqTransportOptions options;
    private readonly ILog log;
    private readonly ConcurrentQueue<Delivery> buffer = new();
    private readonly SemaphoreSlim startGate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private ConsumerSession? current;
    private Task supervisor = Task.CompletedTask;
    private volatile bool started;
    private long lastEmptyLookVersion = -1;
    private long sessionsOpened;

    public InputQueueConsumer(ConnectionKeeper connections, QueueDeclarations declarations, string queue, RabbitMqTransportOptions options, ILog log)
    {
        this.connections = connections;
        this.declarations = declarations;
        this.queue = queue;
        this.options = options;
        this.log = log;
    }

    public ArrivalSignal Arrivals { get; } = new();

    public long SessionsOpened => Interlocked.Read(ref sessionsOpened);

    private InFlightCounts InFlight => options.InFlight;

    /// <summary>Opens the first consumer, and waits (briefly) for the messages the queue held to arrive.</summary>
    public async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (started)
        {
            return;
        }
        await startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (started)
            {
                return;
            }
            var ready = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
            started = true;
            supervisor = Task.Run(() => SuperviseAsync(stopping.Token), CancellationToken.None);
            // The broker pushes what is ready right after consume-ok. Without this wait the very first receive would
            // report an empty queue that is not empty; afterwards, arrivals wake the back-off instead.
            await WaitUntilBufferedAsync(Math.Min(ready, options.PrefetchCount), options.FirstReceiveWait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            startGate.Release();
        }
    }

    /// <summary>The next delivery of a live session; deliveries of a closed one are dropped (the broker requeued them).</summary>
    public bool TryTake(out Delivery delivery)
    {
        var seen = Arrivals.Version;
        while (buffer.TryDequeue(out delivery!))
        {
            if (delivery.Session.IsOpen)
            {
                return true;
            }
            InFlight.Add(queue, -1);
        }
        RecordEmptyLook(seen);
        return false;
    }

    /// <summary>Waits for an arrival since the last empty look, at most <paramref name="cap"/>.</summary>
    public async Task WaitForArrivalAsync(TimeSpan cap, CancellationToken cancellationToken)
    {
        if (!buffer.IsEmpty)
        {
            return;
        }
        await Arrivals.WaitForChangeAsync(Interlocked.Read(ref lastEmptyLookVersion), cap, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        try
        {
            await supervisor.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
        if (current is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        DropBuffered();
        stopping.Dispose();
    }

    private async Task<uint> OpenSessionAsync(CancellationToken cancellationToken)
    {
        // Declared (not only looked up) each time: after a broker lost its data the queue must exist before consuming.
        var ready = await declarations.DeclareQueueAsync(queue, cancellationToken).ConfigureAwait(false);
        var connection = await connections.GetAsync(cancellationToken).ConfigureAwait(false);
        current = await ConsumerSession.OpenAsync(connection, queue, options.PrefetchCount, options.Quorum, Buffer, log, cancellationToken)
            .ConfigureAwait(false);
        Interlocked.Increment(ref sessionsOpened);
        Arrivals.Pulse();
        return ready;
    }

    private void Buffer(Delivery delivery)
    {
        InFlight.Add(queue, 1);
        buffer.Enqueue(delivery);
        Arrivals.Pulse();
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                reason = await current!.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            DropBuffered();
            await current.DisposeAsync().ConfigureAwait(false);
            log.Warn("The consumer of {queue} was lost ({reason}); reconnecting. Its unacknowledged messages are back in the queue and come again",
                queue, reason);
            if (!await ReopenAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> ReopenAsync(CancellationToken cancellationToken)
    {
        var delay = options.ReconnectDelayValue;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
                log.Info("The consumer of {queue} is back (attempt {attempt})", queue, attempt);
                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                if (attempt == 1 || attempt % 10 == 0)
                {
                    log.Warn("Reconnecting the consumer of {queue} to {broker} failed (attempt {attempt}): {error}", queue, connections.Display, attempt, e.Message);
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
            }
        }
    }

    /// <summary>Deliveries of a lost session: the broker has put them back already.</summary>
    private void DropBuffered()
    {
        var kept = new List<Delivery>();
        while (buffer.TryDequeue(out var delivery))
        {
            if (delivery.Session.IsOpen)
            {
                kept.Add(delivery);
            }
            else
            {
                InFlight.Add(queue, -1);
            }
        }
        foreach (var delivery in kept)
        {
            buffer.Enqueue(delivery);
        }
    }

    private async Task WaitUntilBufferedAsync(long expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (buffer.Count < expected)
        {
            var seen = Arrivals.Version;
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero || buffer.Count >= expected)
            {
                return;
            }
            await Arrivals.WaitForChangeAsync(seen, left, cancellationToken).ConfigureAwait(false);
        }
    }

    private void RecordEmptyLook(long seenVersion)
    {
        long recorded;
        do
        {
            recorded = Interlocked.Read(ref lastEmptyLookVersion);
        }
        while (seenVersion > recorded && Interlocked.CompareExchange(ref lastEmptyLookVersion, seenVersion, recorded) != recorded);
    }
}
