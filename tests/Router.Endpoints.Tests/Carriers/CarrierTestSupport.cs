using System.Collections.Concurrent;
using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Serilog.Core;
using Serilog.Events;

namespace Router.Endpoints.Tests.Carriers;

/// <summary>Real time moved forward on demand: timers still run on the system clock, "now" can be pushed past a due time or a token's expiry.</summary>
internal sealed class ShiftableClock : TimeProvider
{
    private long shiftTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref shiftTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref shiftTicks, by.Ticks);
}

/// <summary>Serilog events kept for assertions (what was logged, and that a secret never was).</summary>
internal sealed class CollectingLogSink : ILogEventSink
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();

    public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);

    public IEnumerable<string> Rendered => Events.Select(e => e.RenderMessage() + " " + string.Join(" ", e.Properties.Select(p => p.Value.ToString())));
}

/// <summary>A sink that behaves like the router's inbox: a message id seen before is a duplicate.</summary>
internal sealed class InboxSink : IInboundSink
{
    private readonly ConcurrentDictionary<string, bool> seen = new(StringComparer.Ordinal);

    public ConcurrentQueue<(InboundMessage Message, HandOffStatus Status)> HandedOff { get; } = new();

    public IEnumerable<InboundMessage> Accepted => HandedOff.Where(h => h.Status == HandOffStatus.Accepted).Select(h => h.Message);

    public Task<IReadOnlyList<HandOffResult>> HandOffAsync(string endpointId, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        var results = new List<HandOffResult>();
        foreach (var message in messages)
        {
            var status = seen.TryAdd(message.MessageId ?? message.FallbackMessageId, true) ? HandOffStatus.Accepted : HandOffStatus.Duplicate;
            HandedOff.Enqueue((message, status));
            results.Add(new HandOffResult(status));
        }
        return Task.FromResult<IReadOnlyList<HandOffResult>>(results);
    }

    public Task RecordRejectedAsync(string endpointId, string origin, string messageId, string error, CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class Shipments
{
    public static ShipmentStatus StatusOf(InboundMessage message) => message.Payload.Deserialize<ShipmentStatus>(RouterJson.Options)!;

    public static ShipmentRequest Request(string number, string carrier, string? pickupPoint = "MSK123", string? tariff = null) => new()
    {
        OrderNumber = number,
        Carrier = carrier,
        Tariff = tariff,
        PickupPointId = pickupPoint,
        Address = pickupPoint is null ? new Address(City: "Москва", Street: "ул. Тверская", House: "7", Apartment: "12", PostalCode: "125009") : null,
        Recipient = new ShipmentRecipient("Иванов Иван", "+79001234567", "ivanov@example.ru"),
        Packages =
        [
            new ShipmentPackage
            {
                Number = "1", WeightGrams = 1200, LengthCm = 30, WidthCm = 20, HeightCm = 10,
                Items = [new ShipmentItem("SKU-1", "Вентилятор настольный", 2, Money.Rub(1500m), 500)],
            },
        ],
        DeliveryCost = Money.Rub(350m),
    };

    public static Envelope Envelope(string type, object payload, string id) => new()
    {
        MessageId = id,
        Type = type,
        Source = "test",
        OccurredAt = DateTimeOffset.Parse("2026-05-06T10:30:00+03:00"),
        Payload = RouterJson.ToElement(payload),
    };
}
