using System.Security.Cryptography;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Endpoints.Remote;
using Router.Endpoints.Shared;
using Serilog;

namespace Router.Endpoints.OneC.Ftp;

/// <summary>
/// Writes each message as a file in 1C's exchange folder: uploaded under a temporary name 1C's masks never match,
/// then renamed to a name that depends only on the message and the leg. A retry or replay overwrites the same name
/// with the same bytes, so 1C sees exactly one complete file.
/// </summary>
public sealed class OneCFtpOutboundEndpoint : IOutboundEndpoint
{
    public const string PlanKind = "remote-file";

    private readonly OneCFtpOutboundOptions options;
    private readonly EndpointServices services;
    private readonly ILogger logger;

    public OneCFtpOutboundEndpoint(string id, OneCFtpOutboundOptions options, EndpointServices services)
    {
        Id = id;
        this.options = options;
        this.services = services;
        logger = services.Logger.ForContext<OneCFtpOutboundEndpoint>().ForContext("EndpointId", id);
    }

    public string Id { get; }

    public OneCFtpOutboundOptions Options => options;

    private RemoteConnection Connection => options.Connection;

    public DeliveryPlan Plan(Envelope envelope, DeliveryContext context)
    {
        var path = RemotePath.Combine(options.Path, options.FileName.Render(envelope, context));
        var body = DeliveryBody.ForFile(envelope, options.Body, options.Indent, options.TextEncoding);
        return new DeliveryPlan
        {
            Kind = PlanKind,
            Method = "PUT",
            // The path alone: the credentials stay in the endpoint, never in a plan that may be shown or stored.
            Target = path,
            DisplayTarget = Connection.Display(path),
            ContentType = body.ContentType,
            Body = body.Bytes,
            Encoding = body.EncodingName,
        };
    }

    public async Task<DeliveryReceipt> DeliverAsync(DeliveryPlan plan, DeliveryContext context, CancellationToken cancellationToken)
    {
        if (plan.Kind != PlanKind)
        {
            throw new ArgumentException($"an onec-ftp endpoint cannot carry out a '{plan.Kind}' plan", nameof(plan));
        }
        var directory = RemotePath.Parent(plan.Target);
        var name = RemotePath.Name(plan.Target);
        // A leading dot and a .tmp ending: 1C's import masks (import*.xml, orders*.xml) and our own poller skip it.
        var temporary = RemotePath.Combine(directory, $".{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        await using var remote = RemoteFiles.Open(Connection, services);
        await remote.CreateDirectoryAsync(directory, cancellationToken);
        try
        {
            using var content = new MemoryStream(plan.Body, writable: false);
            await remote.UploadAsync(temporary, content, cancellationToken);
            await remote.RenameAsync(temporary, plan.Target, cancellationToken);
        }
        catch
        {
            await TryDeleteAsync(remote, temporary);
            throw;
        }
        logger.Debug("Wrote {Target} ({Bytes} bytes) for {Leg}", plan.ShownTarget, plan.Body.Length, context.Leg);
        return new DeliveryReceipt($"wrote {plan.ShownTarget} ({plan.Body.Length} bytes)");
    }

    private async Task TryDeleteAsync(IRemoteFiles remote, string temporary)
    {
        try
        {
            // Not the caller's token: a cancelled delivery should still not leave its half file behind.
            using var cleanup = new CancellationTokenSource(Connection.Timeout);
            if (await remote.ExistsAsync(temporary, cleanup.Token))
            {
                await remote.DeleteAsync(temporary, cleanup.Token);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A leftover temporary file is harmless (1C and our poller skip it); the error being reported matters more.
            logger.Debug("Could not remove {Temporary}: {Error}", Connection.Display(temporary), ex.Message);
        }
    }
}
