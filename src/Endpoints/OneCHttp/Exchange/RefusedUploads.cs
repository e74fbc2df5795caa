using System.IO.Abstractions;
using System.Security.Cryptography;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Endpoints.Folder;
using Serilog;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>
/// Keeps what 1C sent and the router refused in <c>failed/</c>, with a <c>.error.txt</c> note beside it, and
/// journals the refusal, the way the folder endpoint treats a file it cannot read.
/// </summary>
internal sealed class RefusedUploads
{
    private readonly IFileSystem fileSystem;
    private readonly ExchangeOptions options;
    private readonly string endpointId;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly FileParking parking;

    public RefusedUploads(IFileSystem fileSystem, ExchangeOptions options, string endpointId, TimeProvider clock, ILogger logger)
    {
        this.fileSystem = fileSystem;
        this.options = options;
        this.endpointId = endpointId;
        this.clock = clock;
        this.logger = logger;
        parking = new FileParking(fileSystem);
    }

    /// <summary>Moves <paramref name="source"/> into failed/, writes the note, and journals it; returns where it went.</summary>
    public async Task<string?> KeepAsync(IInboundSink sink, string source, string name, string origin, string code, string reason, CancellationToken cancellationToken)
    {
        string messageId;
        string parked;
        try
        {
            await using (var stream = fileSystem.File.OpenRead(source))
            {
                messageId = MessageIds.ForFile(name, "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)));
            }
            parked = parking.MoveInto(source, options.FailedDir);
            parking.WriteErrorNote(parked, Note(name, messageId, code, reason));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.Error(ex, "Could not keep the refused upload {File} aside in {FailedFolder}", name, options.FailedDir);
            return null;
        }
        logger.Warning("Refused {File} from 1C ({Code}): {Reason}; kept as {Parked}", name, code, reason, parked);
        try
        {
            await sink.RecordRejectedAsync(endpointId, $"{origin}: {name} (kept as {parked})", messageId, reason, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The file and its note are safe in failed/; the journal entry is what is missing.
            logger.Error(ex, "Could not journal the refusal of {File} (kept as {Parked})", name, parked);
        }
        return parked;
    }

    /// <summary>Writes a refused body that has no file yet (its name was refused) so it can be kept like the others.</summary>
    public async Task<string> StashAsync(Stream body, string name, CancellationToken cancellationToken)
    {
        var stash = fileSystem.Path.Combine(options.ExchangeDir, "refused");
        fileSystem.Directory.CreateDirectory(stash);
        // ".refused" keeps a refused "x.php" from ever being a runnable script where it is kept.
        var path = fileSystem.Path.Combine(stash, SafeFileName.From(name) + ".refused");
        await using (var file = fileSystem.FileStream.New(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            // Bounded: a refused name is no licence to fill the disk.
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while (total < options.MaxFileSize && (read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, options.MaxFileSize - total)), cancellationToken)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
            }
        }
        return path;
    }

    private string Note(string name, string messageId, string code, string reason) =>
        InboundErrorNote.Write(endpointId, name, messageId, code, reason, clock.GetUtcNow());
}
