using System.IO.Enumeration;
using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Endpoints.Folder;
using Router.Endpoints.Remote;
using Serilog;

namespace Router.Endpoints.OneC.Ftp;

/// <summary>
/// Takes the files 1C unloads into an exchange folder on FTP, FTPS, SFTP or a share: only complete ones, catalogues
/// before offers, each read into memory within the size limit and decoded like the folder endpoint does. A file
/// leaves the folder (to processed/, or deleted) only after the router holds it durably; a refused one goes to
/// failed/ with an .error.txt; a transfer that breaks off leaves it where it is for the next poll.
/// </summary>
public sealed class OneCFtpInboundEndpoint : IInboundEndpoint
{
    private readonly OneCFtpInboundOptions options;
    private readonly EndpointServices services;
    private readonly ILogger logger;
    private readonly IFileCompletionRule completion;
    private readonly InboundPayloadReader payloads;

    // The stable rule's memory is per instance; overlapping polls would corrupt it and race on the same files.
    private readonly SemaphoreSlim pollGate = new(1, 1);

    public OneCFtpInboundEndpoint(string id, OneCFtpInboundOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.services = services;
        logger = services.Logger.ForContext<OneCFtpInboundEndpoint>().ForContext("EndpointId", id);
        completion = IFileCompletionRule.For(options.Completion, options.MarkerSuffix);
        payloads = new InboundPayloadReader(options.Format, options.Encoding);
    }

    public string Id { get; }

    public OneCFtpInboundOptions Options => options;

    public TimeSpan? PollInterval => options.Poll;

    private RemoteConnection Connection => options.Connection;

    public async Task<PollResult> PollAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken)
    {
        await pollGate.WaitAsync(cancellationToken);
        try
        {
            await using var remote = RemoteFiles.Open(Connection, services);
            return await PollOnceAsync(remote, sink, settle, cancellationToken);
        }
        finally
        {
            pollGate.Release();
        }
    }

    private async Task<PollResult> PollOnceAsync(IRemoteFiles remote, IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken)
    {
        var look = await ScanAsync(remote, cancellationToken);
        if (settle is { } pause && completion.NeedsAnotherLook(look.Candidates))
        {
            completion.SelectComplete(look.Candidates, look.Exists);
            await Task.Delay(pause, services.Clock, cancellationToken);
            look = await ScanAsync(remote, cancellationToken);
        }
        var complete = ExchangeFileOrder.Sort(completion.SelectComplete(look.Candidates, look.Exists));
        var tally = new PollTally { Waiting = look.Candidates.Count - complete.Count };
        var done = 0;
        foreach (var batch in complete.Chunk(options.Batch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var taken = await ProcessBatchAsync(remote, sink, batch, tally, cancellationToken);
            done += taken;
            if (taken < batch.Length)
            {
                // A transfer broke off: later files wait too, so an offers file never overtakes its catalogue.
                tally.Waiting += complete.Count - done;
                break;
            }
        }
        if (tally.Handled > 0)
        {
            logger.Information(
                "Polled {Folder}: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected, {Waiting} waiting",
                Connection.Display(options.Path), tally.Accepted, tally.Duplicates, tally.Rejected, tally.Waiting);
        }
        return tally.ToResult();
    }

    private async Task<FolderLook> ScanAsync(IRemoteFiles remote, CancellationToken cancellationToken)
    {
        IReadOnlyList<FileObservation> files;
        try
        {
            files = await remote.ListAsync(options.Path, cancellationToken);
        }
        catch (RemoteFileNotFoundException)
        {
            // Like the folder endpoint: a first run may start before 1C has unloaded anything.
            await remote.CreateDirectoryAsync(options.Path, cancellationToken);
            files = [];
        }
        var all = files.Select(f => f.FullPath).ToHashSet(StringComparer.Ordinal);
        var candidates = files.Where(f => IsCandidate(f.Name)).ToList();
        return new FolderLook(candidates, all.Contains);
    }

    private bool IsCandidate(string name) =>
        // Dot-files and *.tmp are being written under a temporary name (by 1C's uploaders and by our own outbound).
        !name.StartsWith('.')
        && !name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
        && !name.EndsWith(InboundErrorNote.Suffix, StringComparison.Ordinal)
        && !(options.Completion == FileCompletionMode.Marker && name.EndsWith(options.MarkerSuffix, StringComparison.Ordinal))
        // 1C runs on Windows, where Import.xml and import.xml are the same file.
        && options.Patterns.Any(p => FileSystemName.MatchesSimpleExpression(p, name, ignoreCase: true));

    /// <summary>Returns how many files of the batch were dealt with; fewer than all when a transfer broke off.</summary>
    private async Task<int> ProcessBatchAsync(IRemoteFiles remote, IInboundSink sink, IReadOnlyList<FileObservation> batch, PollTally tally, CancellationToken cancellationToken)
    {
        var ready = new List<FileReading>(batch.Count);
        var taken = 0;
        foreach (var file in batch)
        {
            FileReading reading;
            try
            {
                reading = await ReadAsync(remote, file, cancellationToken);
            }
            catch (TransientFailureException ex)
            {
                logger.Warning("Could not download {File}: {Error}; it stays in place for the next poll", Connection.Display(file.FullPath), ex.Message);
                break;
            }
            taken++;
            if (reading.IsSkipped)
            {
                tally.Waiting++;
            }
            else if (reading.Message is null)
            {
                await RejectUnreadableAsync(remote, sink, reading, cancellationToken);
                tally.Rejected++;
            }
            else
            {
                ready.Add(reading);
            }
        }
        if (ready.Count > 0)
        {
            await HandOffAsync(remote, sink, ready, tally, cancellationToken);
        }
        return taken;
    }

    private async Task<FileReading> ReadAsync(IRemoteFiles remote, FileObservation file, CancellationToken cancellationToken)
    {
        // Past the limit the rest is only hashed, never kept: a refused file is still named by its content.
        using var content = new SizeLimitedStream(options.MaxFileSize, throwOverLimit: false);
        try
        {
            await remote.DownloadAsync(file.FullPath, content, cancellationToken);
        }
        catch (RemoteFileNotFoundException)
        {
            logger.Debug("{File} went away before it was read", Connection.Display(file.FullPath));
            return FileReading.Skipped(file);
        }
        if (content.Received != file.Length)
        {
            // A data connection that closes early can look like a clean end of file; the listed size tells.
            throw new TransientFailureException(
                $"{Connection.Display(file.FullPath)}: received {content.Received} of {file.Length} bytes (the transfer broke off or the file changed)");
        }
        if (content.IsOverLimit)
        {
            return InboundFileMessages.TooLarge(file, content.Received, content.ContentHash(), options.MaxFileSize);
        }
        return InboundFileMessages.FromContent(file, content.ToArray(), payloads, Connection.Display(file.FullPath));
    }

    private async Task HandOffAsync(IRemoteFiles remote, IInboundSink sink, List<FileReading> ready, PollTally tally, CancellationToken cancellationToken)
    {
        IReadOnlyList<HandOffResult> results;
        try
        {
            results = await sink.HandOffAsync(Id, ready.Select(r => r.Message!).ToList(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.Warning(ex, "Hand-off of {FileCount} files from {Folder} failed; they stay in place for the next poll", ready.Count, Connection.Display(options.Path));
            throw;
        }
        if (results.Count != ready.Count)
        {
            throw new InvalidOperationException($"the router answered {results.Count} results for {ready.Count} messages; the files stay in place");
        }

        // Only now is it safe to acknowledge the source.
        for (var i = 0; i < ready.Count; i++)
        {
            await AcknowledgeAsync(remote, ready[i], results[i], tally, cancellationToken);
        }
    }

    private async Task AcknowledgeAsync(IRemoteFiles remote, FileReading reading, HandOffResult result, PollTally tally, CancellationToken cancellationToken)
    {
        switch (result.Status)
        {
            case HandOffStatus.Accepted:
                tally.Accepted++;
                await SetAsideHandledAsync(remote, reading.File, cancellationToken);
                break;
            case HandOffStatus.Duplicate:
                tally.Duplicates++;
                logger.Information("{File} was handed off before ({MessageId}); setting it aside as processed", reading.File.Name, reading.MessageId);
                await SetAsideHandledAsync(remote, reading.File, cancellationToken);
                break;
            default:
                tally.Rejected++;
                var error = result.Error ?? "rejected by the router";
                logger.Warning("The router rejected {File} ({MessageId}): {Error}", reading.File.Name, reading.MessageId, error);
                await SetAsideFailedAsync(remote, reading.File, reading.MessageId, "rejected", error, cancellationToken);
                break;
        }
    }

    private async Task RejectUnreadableAsync(IRemoteFiles remote, IInboundSink sink, FileReading reading, CancellationToken cancellationToken)
    {
        logger.Warning("Rejected {File} ({MessageId}): {Error}", reading.File.Name, reading.MessageId, reading.Error);
        // Journal first: if that fails the file stays and the next poll tries again, so no refusal goes unrecorded.
        await sink.RecordRejectedAsync(Id, Connection.Display(reading.File.FullPath), reading.MessageId!, reading.Error!, cancellationToken);
        await SetAsideFailedAsync(remote, reading.File, reading.MessageId, reading.ErrorCode!, reading.Error!, cancellationToken);
    }

    private async Task SetAsideHandledAsync(IRemoteFiles remote, FileObservation file, CancellationToken cancellationToken)
    {
        try
        {
            if (options.Processed == ProcessedFileAction.Delete)
            {
                await remote.DeleteAsync(file.FullPath, cancellationToken);
            }
            else
            {
                await MoveIntoAsync(remote, file, options.ProcessedPath, cancellationToken);
            }
            await ReleaseAsync(remote, file, cancellationToken);
        }
        catch (Exception ex) when (ex is TransientFailureException or PermanentFailureException)
        {
            logger.Error("{File} is safe with the router but could not be set aside ({Error}); the next poll hands it off again as a duplicate",
                Connection.Display(file.FullPath), ex.Message);
        }
    }

    private async Task SetAsideFailedAsync(IRemoteFiles remote, FileObservation file, string? messageId, string code, string error, CancellationToken cancellationToken)
    {
        try
        {
            // Moved on the server rather than uploaded again: the original bytes stay exactly as 1C wrote them.
            var parked = await MoveIntoAsync(remote, file, options.FailedPath, cancellationToken);
            await ReleaseAsync(remote, file, cancellationToken);
            var note = InboundErrorNote.Write(Id, file.Name, messageId, code, error, services.Clock.GetUtcNow());
            using var noteContent = new MemoryStream(InboundErrorNote.Encoding.GetBytes(note));
            await remote.UploadAsync(parked + InboundErrorNote.Suffix, noteContent, cancellationToken);
        }
        catch (Exception ex) when (ex is TransientFailureException or PermanentFailureException)
        {
            logger.Error("{File} was rejected but could not be set aside in {FailedFolder} ({Error})",
                Connection.Display(file.FullPath), Connection.Display(options.FailedPath), ex.Message);
        }
    }

    /// <summary>Moves the file into <paramref name="directory"/> without overwriting an earlier one of the same name.</summary>
    private static async Task<string> MoveIntoAsync(IRemoteFiles remote, FileObservation file, string directory, CancellationToken cancellationToken)
    {
        await remote.CreateDirectoryAsync(directory, cancellationToken);
        var taken = (await remote.ListAsync(directory, cancellationToken)).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var name = InboundErrorNote.Numbered(file.Name, attempt);
            if (!taken.Contains(name) && !taken.Contains(name + InboundErrorNote.Suffix))
            {
                var target = RemotePath.Combine(directory, name);
                await remote.RenameAsync(file.FullPath, target, cancellationToken);
                return target;
            }
        }
    }

    private async Task ReleaseAsync(IRemoteFiles remote, FileObservation file, CancellationToken cancellationToken)
    {
        if (completion.Release(file) is not { } marker)
        {
            return;
        }
        try
        {
            await remote.DeleteAsync(marker, cancellationToken);
        }
        catch (RemoteFileNotFoundException)
        {
            // Gone already: what we wanted.
        }
    }

    /// <summary>One listing: the files that may be taken, and every file name (markers included).</summary>
    private sealed record FolderLook(IReadOnlyList<FileObservation> Candidates, Func<string, bool> Exists);
}
