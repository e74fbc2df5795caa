using System.Text.Json;
using Router.Core.Messages;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.Messages;

public class EnvelopeSerializationTests
{
    private const string Payload = """{"number":"1001","total":1234.560,"Покупатель":{"ФИО":"Иван"},"lines":[{"price":0.1},{"price":0.2}]}""";

    private static Envelope Sample() => new()
    {
        MessageId = "file:orders_1001.xml:3f2a9c",
        Type = MessageTypes.OrderCreated,
        Source = "onec-ftp",
        EntityKey = "order:1001",
        EntityVersion = 1704164645000,
        CorrelationId = "corr-7",
        CausationId = "cause-6",
        OccurredAt = new DateTimeOffset(2024, 1, 2, 6, 4, 5, 123, TimeSpan.FromHours(3)),
        Headers = new Dictionary<string, string> { ["X-Channel"] = "web", ["X-Заметка"] = "тест" },
        Payload = RouterJson.ParseElement(Payload),
    };

    [Test]
    public void An_envelope_survives_a_round_trip_through_json()
    {
        var original = Sample();

        var back = RouterJson.Deserialize<Envelope>(RouterJson.Serialize(original));

        Assert.Multiple(() =>
        {
            Assert.That(back.MessageId, Is.EqualTo(original.MessageId));
            Assert.That(back.Type, Is.EqualTo(original.Type));
            Assert.That(back.Source, Is.EqualTo(original.Source));
            Assert.That(back.EntityKey, Is.EqualTo(original.EntityKey));
            Assert.That(back.EntityVersion, Is.EqualTo(original.EntityVersion));
            Assert.That(back.CorrelationId, Is.EqualTo(original.CorrelationId));
            Assert.That(back.CausationId, Is.EqualTo(original.CausationId));
            Assert.That(back.OccurredAt, Is.EqualTo(original.OccurredAt));
            Assert.That(back.OccurredAt.Offset, Is.EqualTo(TimeSpan.FromHours(3)));
            Assert.That(back.Headers, Is.EquivalentTo(original.Headers));
            Assert.That(back.SchemaVersion, Is.EqualTo(Envelope.CurrentSchemaVersion));
            Assert.That(back.Payload.GetRawText(), Is.EqualTo(Payload), "the payload keeps its exact text, 1234.560 included");
            Assert.That(RouterJson.Serialize(back), Is.EqualTo(RouterJson.Serialize(original)));
        });
    }

    [Test]
    public void Fields_are_camel_case_absent_values_are_left_out_and_derived_ones_not_written()
    {
        var json = RouterJson.Serialize(Sample() with { EntityVersion = null, CausationId = null });
        using var document = JsonDocument.Parse(json);

        Assert.That(document.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "messageId", "type", "source", "entityKey", "correlationId", "occurredAt", "headers", "payload", "schemaVersion",
        }));
        Assert.That(json, Does.Contain("\"X-Заметка\":\"тест\""), "Russian text stays readable");
    }

    [Test]
    public void Unknown_fields_are_ignored_when_reading()
    {
        var back = RouterJson.Deserialize<Envelope>("""
            {"messageId":"m","type":"order.created","source":"s","payload":{"a":1},"futureField":{"x":[1,2]},"priority":5}
            """);

        Assert.That(back.MessageId, Is.EqualTo("m"));
        Assert.That(back.Payload.GetProperty("a").GetInt32(), Is.EqualTo(1));
        Assert.That(back.Headers, Is.Empty);
        Assert.That(back.SchemaVersion, Is.EqualTo(Envelope.CurrentSchemaVersion));
    }

    [Test]
    public void An_envelope_without_its_required_fields_is_refused()
    {
        Assert.Throws<JsonException>(() => RouterJson.Deserialize<Envelope>("""{"type":"order.created","source":"s"}"""));
    }

    [Test]
    public void The_correlation_id_falls_back_to_the_message_id()
    {
        Assert.That(Sample().EffectiveCorrelationId, Is.EqualTo("corr-7"));
        Assert.That((Sample() with { CorrelationId = null }).EffectiveCorrelationId, Is.EqualTo("file:orders_1001.xml:3f2a9c"));
    }

    [Test]
    public void WithHeader_returns_a_new_envelope_and_leaves_the_original_alone()
    {
        var original = Sample();

        var changed = original.WithHeader("X-Channel", "app");

        Assert.That(changed.Headers["X-Channel"], Is.EqualTo("app"));
        Assert.That(original.Headers["X-Channel"], Is.EqualTo("web"));
    }

    [Test]
    public void The_payload_hash_survives_the_round_trip()
    {
        var original = Sample();

        var back = RouterJson.Deserialize<Envelope>(RouterJson.Serialize(original, indented: true));

        Assert.That(PayloadHash.Compute(back.Payload), Is.EqualTo(PayloadHash.Compute(original.Payload)));
    }
}
