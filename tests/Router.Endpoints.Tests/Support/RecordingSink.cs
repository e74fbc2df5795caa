using Router.Core.Endpoints;

namespace Router.Endpoints.Tests.Support;

/// <summary>The router's side of a hand-off, recorded; answers and failures are set by each test.</summary>
internal sealed class RecordingSink : IInboundSink
{
    public List<IReadOnlyList<InboundMessage>> Batches { get; } = [];

    public List<RecordedRejection> Rejections { get; } = [];

    public IEnumerable<InboundMessage> Messages => Batches.SelectMany(b => b);

    public Func<InboundMessage, HandOffResult> Answer { get; set; } = _ => new HandOffResult(HandOffStatus.Accepted);

    /// <summary>Runs at hand-off time, before answering: lets a test look at the folder while the router holds the messages.</summary>
    public Action<IReadOnlyList<InboundMessage>>? DuringHandOff { get; set; }

    public Exception? HandOffFailure { get; set; }

    public Task<IReadOnlyList<HandOffResult>> HandOffAsync(string endpointId, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        DuringHandOff?.Invoke(messages);
        if (HandOffFailure is not null)
        {
            throw HandOffFailure;
        }
        Batches.Add(messages);
        return Task.FromResult<IReadOnlyList<HandOffResult>>(messages.Select(Answer).ToList());
    }

    public Task RecordRejectedAsync(string endpointId, string origin, string messageId, string error, CancellationToken cancellationToken)
    {
        Rejections.Add(new RecordedRejection(endpointId, origin, messageId, error));
        return Task.CompletedTask;
    }
}

internal sealed record RecordedRejection(string EndpointId, string Origin, string MessageId, string Error);
