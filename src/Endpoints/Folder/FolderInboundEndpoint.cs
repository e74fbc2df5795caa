using Router.Core.Endpoints;
using Serilog;

namespace Router.Endpoints.Folder;

/// <summary>
/// Takes complete files from a folder and hands them to the router. A file leaves the folder only after the router
/// holds it durably; a crash in between means the next poll hands it off again and the router calls it a duplicate.
/// </summary>
public sealed class FolderInboundEndpoint : IInboundEndpoint
{
    /// <summary>The header every message from a folder carries: the file's name.</summary>
    public const string FileNameHeader = "file-name";

    private readonly FolderInboundOptions options;
    private readonly EndpointServices services;
    private readonly ILogger logger;
    private readonly FolderScanner scanner;
    private readonly IFileCompletionRule completion;
    private readonly InboundFileReader reader;
    private readonly FileParking parking;

    // The stable rule's memory is per instance; overlapping polls would corrupt it and race on the same files.
    private readonly SemaphoreSlim pollGate = new(1, 1);

    public FolderInboundEndpoint(string id, FolderInboundOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.services = services;
        logger = services.Logger.ForContext<FolderInboundEndpoint>().ForContext("EndpointId", id);
        scanner = new FolderScanner(services.FileSystem, options);
        completion = IFileCompletionRule.For(options, services.FileSystem);
        reader = new InboundFileReader(services.FileSystem, options);
        parking = new FileParking(services.FileSystem);
    }

    public string Id { get; }

    public FolderInboundOptions Options => options;

    public TimeSpan? PollInterval => options.Poll;

    public async Task<PollResult> PollAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken)
    {
        await pollGate.WaitAsync(cancellationToken);
        try
        {
            return await PollOnceAsync(sink, settle, cancellationToken);
        }
        finally
        {
            pollGate.Release();
        }
    }

    private async Task<PollResult> PollOnceAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken)
    {
        var files = scanner.Scan();
        if (settle is { } pause && completion.NeedsAnotherLook(files))
        {
            completion.SelectComplete(files);
            await Task.Delay(pause, services.Clock, cancellationToken);
            files = scanner.Scan();
        }
        var complete = completion.SelectComplete(files);
        var tally = new PollTally { Waiting = files.Count - complete.Count };
        foreach (var batch in complete.Chunk(options.Batch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await ProcessBatchAsync(sink, batch, tally, cancellationToken);
        }
        if (tally.Handled > 0)
        {
            logger.Information(
                "Polled {Folder}: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected, {Waiting} waiting",
                options.Path, tally.Accepted, tally.Duplicates, tally.Rejected, tally.Waiting);
        }
        return tally.ToResult();
    }

    private async Task ProcessBatchAsync(IInboundSink sink, IReadOnlyList<FileObservation> batch, PollTally tally, CancellationToken cancellationToken)
    {
        var ready = new List<FileReading>(batch.Count);
        foreach (var file in batch)
        {
            var reading = await reader.ReadAsync(file, cancellationToken);
            if (reading.IsSkipped)
            {
                tally.Waiting++;
                if (reading.SkipReason is { } reason)
                {
                    logger.Warning("Cannot read {File} yet ({Reason}); trying again next poll", file.FullPath, reason);
                }
            }
            else if (reading.Message is null)
            {
                await RejectUnreadableAsync(sink, reading, cancellationToken);
                tally.Rejected++;
            }
            else
            {
                ready.Add(reading);
            }
        }
        if (ready.Count == 0)
        {
            return;
        }

        IReadOnlyList<HandOffResult> results;
        try
        {
            results = await sink.HandOffAsync(Id, ready.Select(r => r.Message!).ToList(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.Warning(ex, "Hand-off of {FileCount} files from {Folder} failed; they stay in place for the next poll", ready.Count, options.Path);
            throw;
        }
        if (results.Count != ready.Count)
        {
            throw new InvalidOperationException($"the router answered {results.Count} results for {ready.Count} messages; the files stay in place");
        }

        // Only now is it safe to acknowledge the source.
        for (var i = 0; i < ready.Count; i++)
        {
            Acknowledge(ready[i], results[i], tally);
        }
    }

    private void Acknowledge(FileReading reading, HandOffResult result, PollTally tally)
    {
        switch (result.Status)
        {
            case HandOffStatus.Accepted:
                tally.Accepted++;
                SetAsideHandled(reading.File);
                break;
            case HandOffStatus.Duplicate:
                tally.Duplicates++;
                logger.Information("{File} was handed off before ({MessageId}); setting it aside as processed", reading.File.Name, reading.MessageId);
                SetAsideHandled(reading.File);
                break;
            default:
                tally.Rejected++;
                var error = result.Error ?? "rejected by the router";
                logger.Warning("The router rejected {File} ({MessageId}): {Error}", reading.File.Name, reading.MessageId, error);
                SetAsideFailed(reading.File, reading.MessageId, "rejected", error);
                break;
        }
    }

    private async Task RejectUnreadableAsync(IInboundSink sink, FileReading reading, CancellationToken cancellationToken)
    {
        logger.Warning("Rejected {File} ({MessageId}): {Error}", reading.File.Name, reading.MessageId, reading.Error);
        // Journal first: if that fails the file stays and the next poll tries again, so no refusal goes unrecorded.
        await sink.RecordRejectedAsync(Id, reading.File.FullPath, reading.MessageId!, reading.Error!, cancellationToken);
        SetAsideFailed(reading.File, reading.MessageId, reading.ErrorCode!, reading.Error!);
    }

    private void SetAsideHandled(FileObservation file)
    {
        try
        {
            if (options.Processed == ProcessedFileAction.Delete)
            {
                parking.Delete(file.FullPath);
            }
            else
            {
                parking.MoveInto(file.FullPath, options.ProcessedPath);
            }
            completion.Release(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.Error(ex, "{File} is safe with the router but could not be set aside; the next poll hands it off again as a duplicate", file.FullPath);
        }
    }

    private void SetAsideFailed(FileObservation file, string? messageId, string code, string error)
    {
        try
        {
            var parked = parking.MoveInto(file.FullPath, options.FailedPath);
            completion.Release(file);
            parking.WriteErrorNote(parked, ErrorNote(file, messageId, code, error));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.Error(ex, "{File} was rejected but could not be moved to {FailedFolder}", file.FullPath, options.FailedPath);
        }
    }

    private string ErrorNote(FileObservation file, string? messageId, string code, string error) =>
        FileParking.ErrorNote(Id, file.Name, messageId, code, services.Clock.GetUtcNow(), error);

    private sealed class PollTally
    {
        public int Accepted { get; set; }
        public int Duplicates { get; set; }
        public int Rejected { get; set; }
        public int Waiting { get; set; }

        public int Handled => Accepted + Duplicates + Rejected;

        public PollResult ToResult() => new(Accepted, Duplicates, Rejected, Waiting);
    }
}
