using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Endpoints.Folder;

/// <summary>
/// What a complete file's bytes become, wherever the file was read from (a local folder, FTP, SFTP): the same message
/// id from name and content hash, the same payload decoding and the same wording of refusals.
/// </summary>
internal static class InboundFileMessages
{
    public static FileReading FromContent(FileObservation file, byte[] content, InboundPayloadReader payloads, string origin)
    {
        var messageId = MessageIds.ForFile(file.Name, PayloadHash.ComputeForBytes(content));
        try
        {
            var payload = payloads.Read(file.Name, content);
            return FileReading.Ready(file, new InboundMessage
            {
                Payload = payload,
                FallbackMessageId = messageId,
                Origin = origin,
                OccurredAt = new DateTimeOffset(DateTime.SpecifyKind(file.LastWriteUtc, DateTimeKind.Utc)),
                Headers = new Dictionary<string, string>(StringComparer.Ordinal) { [FolderInboundEndpoint.FileNameHeader] = file.Name },
            });
        }
        catch (InboundFileRejection ex)
        {
            return FileReading.Rejected(file, messageId, ex.Code, ex.Message);
        }
    }

    /// <summary>A file over the limit, refused under the id it would have had so the journal entry can be found by it.</summary>
    /// <param name="contentHash">The <c>sha256:…</c> hash of the whole file, computed without holding it in memory.</param>
    public static FileReading TooLarge(FileObservation file, long length, string contentHash, long limit) =>
        FileReading.Rejected(
            file,
            MessageIds.ForFile(file.Name, contentHash),
            ErrorCodes.TooLarge,
            $"{file.Name}: {length} bytes is larger than the limit of {limit} bytes (maxFileSize)");
}
