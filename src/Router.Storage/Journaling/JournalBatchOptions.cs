using Router.Core.Stores;

namespace Router.Storage.Journaling;

public sealed record JournalBatchOptions
{
    /// <summary>Entries waiting to be written at most; beyond it <see cref="JournalBatchWriter.EnqueueAsync"/> waits and <see cref="JournalBatchWriter.Enqueue"/> drops.</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>A batch is written as soon as it holds this many entries.</summary>
    public int MaxBatchSize { get; init; } = 500;

    /// <summary>A batch is written at the latest this long after its first entry arrived.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Told about a batch the store refused (it is not retried), e.g. to log it; the next flush also reports the error.</summary>
    public Action<Exception, IReadOnlyList<JournalEntry>>? OnWriteFailed { get; init; }
}
