using System.Collections.Concurrent;
using Router.Core.Stores;

namespace Router.Storage.Tests.Journaling;

/// <summary>Keeps every batch it is given; <see cref="BeforeAppend"/> lets a test hold or fail a write.</summary>
internal sealed class RecordingJournalStore : IJournalStore
{
    private readonly ConcurrentQueue<IReadOnlyList<JournalEntry>> batches = new();

    public Func<IReadOnlyCollection<JournalEntry>, Task>? BeforeAppend { get; set; }

    public TaskCompletionSource FirstBatchWritten { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<IReadOnlyList<JournalEntry>> Batches => [.. batches];

    public IEnumerable<string> MessageIds => batches.SelectMany(b => b).Select(e => e.MessageId);

    public async Task AppendAsync(IReadOnlyCollection<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (BeforeAppend is { } before)
        {
            await before(entries);
        }
        batches.Enqueue([.. entries]);
        FirstBatchWritten.TrySetResult();
    }

    public Task<IReadOnlyList<JournalEntry>> TraceAsync(string id, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JournalEntry>>(
            [.. batches.SelectMany(b => b).Where(e => e.MessageId == id || e.CorrelationId == id || e.EntityKey == id).OrderBy(e => e.At).Take(limit)]);

    public Task<IReadOnlyList<JournalEntry>> SinceAsync(DateTimeOffset since, string? step, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JournalEntry>>(
            [.. batches.SelectMany(b => b).Where(e => e.At >= since && (step is null || e.Step == step)).OrderBy(e => e.At).Take(limit)]);

    public Task<IReadOnlyList<JournalCount>> CountSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JournalCount>>(
            [.. batches.SelectMany(b => b).Where(e => e.At >= since).GroupBy(e => (e.Route, e.Endpoint, e.Step)).Select(g => new JournalCount(g.Key.Route, g.Key.Endpoint, g.Key.Step, g.Count()))]);
}
