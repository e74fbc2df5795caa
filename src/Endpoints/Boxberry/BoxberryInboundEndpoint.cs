using Router.Core.Endpoints;
using Router.Core.Failures;
using Serilog;

namespace Router.Endpoints.Boxberry;

/// <summary>
/// Boxberry has no webhooks: parcels the endpoint created are polled with ListStatuses, each at most every
/// <see cref="BoxberryOptions.StatusInterval"/> (Boxberry asks for no more than hourly), until handed over,
/// returned or cancelled. New statuses are handed off as <c>shipment.status-changed</c>.
/// </summary>
public sealed class BoxberryInboundEndpoint : IInboundEndpoint
{
    private const int PollBatch = 100;

    private readonly EndpointServices services;
    private readonly BoxberryTracker tracker;
    private readonly ILogger logger;

    public BoxberryInboundEndpoint(string id, BoxberryOptions options, EndpointServices services)
    {
        Id = id;
        this.services = services;
        PollInterval = options.Poll;
        Client = new BoxberryClient(services.Http.Get(id), options, services.Clock);
        tracker = new BoxberryTracker(id, services, options.StatusInterval);
        logger = services.Logger.ForContext<BoxberryInboundEndpoint>().ForContext("EndpointId", id);
    }

    public string Id { get; }

    public BoxberryClient Client { get; }

    public TimeSpan? PollInterval { get; }

    public async Task<PollResult> PollAsync(IInboundSink sink, TimeSpan? settle, CancellationToken cancellationToken)
    {
        var due = await services.Records.ListDueAsync(Id, services.Clock.GetUtcNow(), PollBatch, cancellationToken);
        int accepted = 0, duplicates = 0, rejected = 0, waiting = 0;
        foreach (var record in due)
        {
            var known = BoxberryParcelRecord.From(record);
            IReadOnlyList<BoxberryStatus>? statuses;
            try
            {
                statuses = await Client.ListStatusesAsync(known.Track ?? record.Key, cancellationToken);
            }
            catch (Exception ex) when (ex is TransientFailureException or PermanentFailureException)
            {
                logger.Warning("Boxberry statuses of parcel {OrderId} could not be read: {Error}", record.Key, ex.Message);
                waiting++;
                await tracker.SaveAsync(record.Key, known, cancellationToken); // next look in an hour, not at once
                continue;
            }
            var unseen = BoxberryTracker.Unseen(statuses ?? [], known);
            if (unseen.Count > 0)
            {
                var messages = unseen.Select(s => BoxberryTracker.Message(record.Key, known.Track, s, $"boxberry poll {record.Key}")).ToList();
                var results = await sink.HandOffAsync(Id, messages, cancellationToken);
                accepted += results.Count(r => r.Status == HandOffStatus.Accepted);
                duplicates += results.Count(r => r.Status == HandOffStatus.Duplicate);
                rejected += results.Count(r => r.Status == HandOffStatus.Rejected);
                known = known with { LastStatus = unseen[^1].Name, LastDate = unseen[^1].Date };
            }
            await tracker.SaveAsync(record.Key, known, cancellationToken);
        }
        return new PollResult(accepted, duplicates, rejected, waiting);
    }
}
