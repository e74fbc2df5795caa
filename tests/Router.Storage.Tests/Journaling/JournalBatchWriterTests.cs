using Router.Core.Stores;
using Router.Storage.Journaling;
using Router.Storage.Sqlite;
using Router.Storage.Tests.Sqlite;

namespace Router.Storage.Tests.Journaling;

[CancelAfter(60_000)]
public sealed class JournalBatchWriterTests
{
    /// <summary>Long enough that no batch in these tests is closed by the clock, only by size, flush or disposal.</summary>
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    private static JournalEntry Entry(int n) => new()
    {
        At = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero).AddMilliseconds(n),
        MessageId = $"m-{n}",
        Step = JournalSteps.Received,
    };

    private static IEnumerable<string> Ids(params int[] numbers) => numbers.Select(n => $"m-{n}");

    [Test]
    public async Task Flush_writes_everything_enqueued_before_it_in_order_and_in_bounded_batches()
    {
        var store = new RecordingJournalStore();
        await using var writer = new JournalBatchWriter(store, new JournalBatchOptions { MaxBatchSize = 100, FlushInterval = Never });

        for (var n = 0; n < 250; n++)
        {
            writer.Enqueue(Entry(n));
        }
        await writer.FlushAsync(Ct);

        Assert.That(store.MessageIds, Is.EqualTo(Ids([.. Enumerable.Range(0, 250)])));
        Assert.That(store.Batches.Select(b => b.Count), Is.EqualTo(new[] { 100, 100, 50 }));
    }

    [Test]
    public async Task Entries_are_written_without_a_flush_when_the_interval_passes()
    {
        var store = new RecordingJournalStore();
        await using var writer = new JournalBatchWriter(store, new JournalBatchOptions { FlushInterval = TimeSpan.FromMilliseconds(10) });

        writer.Enqueue(Entry(1));
        await store.FirstBatchWritten.Task.WaitAsync(Ct);

        Assert.That(store.MessageIds, Is.EqualTo(Ids(1)));
    }

    [Test]
    public async Task Disposing_writes_what_is_still_buffered()
    {
        var store = new RecordingJournalStore();
        var writer = new JournalBatchWriter(store, new JournalBatchOptions { FlushInterval = Never });
        writer.Enqueue(Entry(1));
        writer.Enqueue(Entry(2));

        await writer.DisposeAsync();

        Assert.That(store.MessageIds, Is.EqualTo(Ids(1, 2)));
        Assert.Throws<ObjectDisposedException>(() => writer.Enqueue(Entry(3)));
    }

    [Test]
    public async Task A_failed_batch_is_reported_by_the_next_flush_and_the_writer_keeps_going()
    {
        var store = new RecordingJournalStore { BeforeAppend = _ => throw new IOException("disk full") };
        var reported = new List<JournalEntry>();
        await using var writer = new JournalBatchWriter(store, new JournalBatchOptions
        {
            FlushInterval = Never,
            OnWriteFailed = (_, lost) => reported.AddRange(lost),
        });

        writer.Enqueue(Entry(1));
        var failure = Assert.ThrowsAsync<JournalWriteException>(() => writer.FlushAsync(Ct));
        store.BeforeAppend = null;
        writer.Enqueue(Entry(2));
        await writer.FlushAsync(Ct);

        Assert.That(failure!.InnerException, Is.TypeOf<IOException>());
        Assert.That(reported.Select(e => e.MessageId), Is.EqualTo(Ids(1)));
        Assert.That(store.MessageIds, Is.EqualTo(Ids(2)));
    }

    /// <summary>
    /// Holds the writer inside a store write with an empty buffer, so the test decides exactly when the buffer is
    /// full. The caller must complete the returned gate, or disposing the writer waits for ever.
    /// </summary>
    private static async Task<(JournalBatchWriter Writer, Task FirstFlush, TaskCompletionSource Release)> WriterStuckInAStoreWriteAsync(
        RecordingJournalStore store, int capacity)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BeforeAppend = async _ =>
        {
            entered.TrySetResult();
            await release.Task;
        };
        var writer = new JournalBatchWriter(store, new JournalBatchOptions { Capacity = capacity, FlushInterval = Never });
        writer.Enqueue(Entry(0));
        var firstFlush = writer.FlushAsync(Ct);
        await entered.Task.WaitAsync(Ct);
        store.BeforeAppend = null;
        return (writer, firstFlush, release);
    }

    [Test]
    public async Task Enqueue_drops_and_counts_entries_while_the_buffer_is_full()
    {
        var store = new RecordingJournalStore();
        var (writer, firstFlush, release) = await WriterStuckInAStoreWriteAsync(store, capacity: 2);
        await using (writer)
        {
            try
            {
                writer.Enqueue(Entry(1));
                writer.Enqueue(Entry(2));
                writer.Enqueue(Entry(3));

                Assert.That(writer.DroppedCount, Is.EqualTo(1));
            }
            finally
            {
                release.TrySetResult();
            }
            await firstFlush;
            await writer.FlushAsync(Ct);
        }

        Assert.That(store.MessageIds, Is.EqualTo(Ids(0, 1, 2)));
    }

    [Test]
    public async Task EnqueueAsync_waits_for_room_instead_of_dropping()
    {
        var store = new RecordingJournalStore();
        var (writer, firstFlush, release) = await WriterStuckInAStoreWriteAsync(store, capacity: 2);
        await using (writer)
        {
            ValueTask third;
            try
            {
                await writer.EnqueueAsync(Entry(1), Ct);
                await writer.EnqueueAsync(Entry(2), Ct);
                third = writer.EnqueueAsync(Entry(3), Ct);

                Assert.That(third.IsCompleted, Is.False);
            }
            finally
            {
                release.TrySetResult();
            }
            await third;
            await firstFlush;
            await writer.FlushAsync(Ct);
        }

        Assert.That(writer.DroppedCount, Is.EqualTo(0));
        Assert.That(store.MessageIds, Is.EqualTo(Ids(0, 1, 2, 3)));
    }

    [Test]
    public async Task Batches_land_in_the_sqlite_journal()
    {
        var file = new TemporaryDatabaseFile();
        try
        {
            await using var state = SqliteRouterState.Open(file.Path);
            await state.MigrateAsync(Ct);
            await using var writer = new JournalBatchWriter(state.Journal);

            for (var n = 0; n < 1200; n++)
            {
                writer.Enqueue(Entry(n) with { CorrelationId = "corr-1" });
            }
            await writer.FlushAsync(Ct);

            var trace = await state.Journal.TraceAsync("corr-1", 2000, Ct);
            Assert.That(trace.Select(e => e.MessageId), Is.EqualTo(Ids([.. Enumerable.Range(0, 1200)])));
        }
        finally
        {
            file.Delete();
        }
    }
}
