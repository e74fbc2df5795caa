using System.Threading.Channels;
using Router.Core.Stores;

namespace Router.Storage.Journaling;

/// <summary>
/// Collects journal entries that do not ride on a message's commit (inbound listeners, delivery outcomes, the CLI)
/// and writes them in batches through any <see cref="IJournalStore"/>, so one row costs a fraction of a commit
/// instead of a commit of its own.
/// </summary>
public sealed class JournalBatchWriter : IAsyncDisposable
{
    private readonly IJournalStore store;
    private readonly JournalBatchOptions options;
    private readonly Channel<Item> channel;
    private readonly Task loop;
    private Exception? failureSinceLastFlush;
    private long dropped;
    private int disposed;

    public JournalBatchWriter(IJournalStore store, JournalBatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
        this.options = options ?? new JournalBatchOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxBatchSize, 1);
        channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(this.options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        loop = Task.Run(RunAsync);
    }

    /// <summary>Entries <see cref="Enqueue"/> let go because the buffer was full.</summary>
    public long DroppedCount => Interlocked.Read(ref dropped);

    /// <summary>
    /// Never blocks: when the buffer is full (the store has fallen far behind) the entry is dropped and counted in
    /// <see cref="DroppedCount"/>, because stalling message handling for its diagnostics would be the worse failure.
    /// </summary>
    public void Enqueue(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!channel.Writer.TryWrite(new Item(entry, null)))
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            Interlocked.Increment(ref dropped);
        }
    }

    /// <summary>Waits for room when the buffer is full, slowing the caller down to the store's pace instead of dropping.</summary>
    public ValueTask EnqueueAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return channel.Writer.WriteAsync(new Item(entry, null), cancellationToken);
    }

    /// <summary>Completes once every entry enqueued before the call is written; throws if a batch since the last flush failed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await channel.Writer.WriteAsync(new Item(null, flushed), cancellationToken).ConfigureAwait(false);
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is still buffered, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        channel.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<JournalEntry>();
            var flushes = new List<TaskCompletionSource>();
            await CollectAsync(reader, batch, flushes).ConfigureAwait(false);
            await WriteAsync(batch, flushes).ConfigureAwait(false);
        }
    }

    /// <summary>Fills a batch until it is full, its time window closes, a flush is asked for, or the writer is disposed.</summary>
    private async Task CollectAsync(ChannelReader<Item> reader, List<JournalEntry> batch, List<TaskCompletionSource> flushes)
    {
        using var window = new CancellationTokenSource(options.FlushInterval, options.Clock);
        while (batch.Count < options.MaxBatchSize)
        {
            if (reader.TryRead(out var item))
            {
                if (item.Flushed is { } flushed)
                {
                    flushes.Add(flushed);
                    return;
                }
                batch.Add(item.Entry!);
                continue;
            }
            try
            {
                if (!await reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task WriteAsync(List<JournalEntry> batch, List<TaskCompletionSource> flushes)
    {
        if (batch.Count > 0)
        {
            try
            {
                // Not cancellable: entries already taken from the buffer are written or reported, never silently lost.
                await store.AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failureSinceLastFlush = e;
                ReportFailure(e, batch);
            }
        }
        if (flushes.Count == 0)
        {
            return;
        }
        var failure = failureSinceLastFlush;
        failureSinceLastFlush = null;
        foreach (var flushed in flushes)
        {
            if (failure is null)
            {
                flushed.TrySetResult();
            }
            else
            {
                flushed.TrySetException(new JournalWriteException(failure));
            }
        }
    }

    private void ReportFailure(Exception failure, List<JournalEntry> batch)
    {
        try
        {
            options.OnWriteFailed?.Invoke(failure, batch);
        }
        catch (Exception)
        {
            // A faulty observer must not stop the journal: later batches and flushes still need the loop.
        }
    }

    private readonly record struct Item(JournalEntry? Entry, TaskCompletionSource? Flushed);
}
