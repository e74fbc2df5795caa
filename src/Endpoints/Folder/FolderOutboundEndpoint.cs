using Router.Core.Endpoints;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Endpoints.Shared;
using Serilog;

namespace Router.Endpoints.Folder;

/// <summary>
/// Writes each message as a file. The name depends only on the message and the leg, and the write replaces the file
/// atomically, so a retry or replay leaves exactly one complete file.
/// </summary>
public sealed class FolderOutboundEndpoint : IOutboundEndpoint
{
    public const string PlanKind = "file";

    private readonly FolderOutboundOptions options;
    private readonly EndpointServices services;
    private readonly AtomicFileWriter writer;
    private readonly ILogger logger;

    public FolderOutboundEndpoint(string id, FolderOutboundOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.services = services;
        writer = new AtomicFileWriter(services.FileSystem);
        logger = services.Logger.ForContext<FolderOutboundEndpoint>().ForContext("EndpointId", id);
    }

    public string Id { get; }

    public FolderOutboundOptions Options => options;

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        var body = DeliveryBody.ForFile(envelope, options.Body, options.Indent, options.TextEncoding);
        return new DeliveryPlan
        {
            Kind = PlanKind,
            Target = services.FileSystem.Path.Combine(options.Path, options.FileName.Render(envelope, context)),
            ContentType = body.ContentType,
            Body = body.Bytes,
            Encoding = body.EncodingName,
        };
    }

    public async Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        if (plan.Kind != PlanKind)
        {
            throw new ArgumentException($"a folder endpoint cannot carry out a '{plan.Kind}' plan", nameof(plan));
        }
        try
        {
            await writer.WriteAsync(plan.Target, plan.Body, cancellationToken);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PermanentFailureException("permission-denied", $"cannot write {plan.Target}: permission denied", ex);
        }
        catch (PathTooLongException ex)
        {
            throw new PermanentFailureException("file-name", $"cannot write {plan.Target}: the path is too long", ex);
        }
        catch (IOException ex)
        {
            // Disk full, file locked by a reader, share gone: all may pass.
            throw new TransientFailureException($"cannot write {plan.Target}: {ex.Message}", ex);
        }
        logger.Debug("Wrote {Path} ({Bytes} bytes) for {Leg}", plan.Target, plan.Body.Length, context.Leg);
        return new DeliveryReceipt($"wrote {plan.Target} ({plan.Body.Length} bytes)");
    }
}
