using System.IO.Abstractions;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Endpoints.Folder;
using Router.Endpoints.Shared;
using Serilog;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>
/// <c>mode=import</c>'s work: the uploaded file becomes a message exactly as the folder endpoint makes one from an
/// xml file (same payload, same strict decoding, DTDs refused), is handed to the router durably, and only then is
/// the upload deleted and 1C told <c>success</c>.
/// </summary>
internal sealed class ExchangeImporter
{
    public const string ExchangeTypeHeader = "onec-exchange";

    private readonly string endpointId;
    private readonly IFileSystem fileSystem;
    private readonly RefusedUploads refused;
    private readonly ILogger logger;
    private readonly InboundPayloadReader payloads = new(InboundFileFormat.Xml, TextEncodings.Strict(TextEncodings.Utf8));

    public ExchangeImporter(string endpointId, IFileSystem fileSystem, RefusedUploads refused, ILogger logger)
    {
        this.endpointId = endpointId;
        this.fileSystem = fileSystem;
        this.refused = refused;
        this.logger = logger;
    }

    /// <param name="type">catalog or sale: carried in the <c>onec-exchange</c> header so routes can tell them apart.</param>
    public async Task<ExchangeAnswer> ImportAsync(IInboundSink sink, ExchangeSession session, string type, string name, string path, CancellationToken cancellationToken)
    {
        var origin = $"1C exchange type={type}, {session}";
        var content = await fileSystem.File.ReadAllBytesAsync(path, cancellationToken);
        var messageId = MessageIds.ForFile(name, PayloadHash.ComputeForBytes(content));
        InboundMessage message;
        try
        {
            message = new InboundMessage
            {
                Payload = payloads.Read(name, content),
                FallbackMessageId = messageId,
                Origin = $"{origin}: {name}",
                Headers = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [FolderInboundEndpoint.FileNameHeader] = name,
                    [ExchangeTypeHeader] = type,
                },
            };
        }
        catch (InboundFileRejection ex)
        {
            await refused.KeepAsync(sink, path, name, origin, ex.Code, ex.Message, cancellationToken);
            return ExchangeAnswer.Failed(ex.Message);
        }

        IReadOnlyList<HandOffResult> results;
        try
        {
            results = await sink.HandOffAsync(endpointId, [message], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The upload stays; 1C reports the failure and its next exchange sends the file again.
            logger.Error(ex, "Hand-off of {File} from 1C ({Session}) failed", name, session.ToString());
            return ExchangeAnswer.Failed($"the router could not take {name} right now ({ex.Message}); run the exchange again");
        }
        var result = results[0];
        if (result.Status == HandOffStatus.Rejected)
        {
            var reason = $"{name}: {result.Error ?? "rejected by the router"}";
            await refused.KeepAsync(sink, path, name, origin, OneCErrorCodes.NotAccepted, reason, cancellationToken);
            return ExchangeAnswer.Failed(reason);
        }
        TryDelete(path);
        var ids = result.MessageIds is { Count: > 0 } given ? string.Join(", ", given) : messageId;
        logger.Information("Imported {File} from 1C ({Session}, {Bytes} bytes) as {MessageIds}: {Status}", name, session.ToString(), content.Length, ids, result.Status);
        return ExchangeAnswer.Ok(result.Status == HandOffStatus.Duplicate ? $"{name} was imported before" : $"{name} imported");
    }

    private void TryDelete(string path)
    {
        try
        {
            fileSystem.File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The router holds the message; the leftover goes with the session's folder.
            logger.Warning(ex, "Could not delete the imported upload {Path}", path);
        }
    }
}
