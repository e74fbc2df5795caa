using Router.Core.Stores;

namespace Router.Storage.Tests.Contract;

public abstract partial class RouterStateContract
{
    private static JournalEntry Step(int minute, string messageId, string step, string? correlationId = null, string? entityKey = null) => new()
    {
        At = At(minute),
        MessageId = messageId,
        CorrelationId = correlationId,
        EntityKey = entityKey,
        Route = "orders-to-1c",
        Step = step,
    };

    /// <summary>Two messages of one order in one conversation, and an unrelated one; written out of time order.</summary>
    private Task AppendTwoOrderMessagesAndAnUnrelatedOneAsync() =>
        State.Journal.AppendAsync(
        [
            Step(3, "m-2", JournalSteps.Received, "corr-1", "order:1001"),
            Step(1, "m-1", JournalSteps.Transformed, "corr-1", "order:1001"),
            Step(0, "m-1", JournalSteps.Received, "corr-1", "order:1001"),
            Step(2, "m-3", JournalSteps.Received, "corr-9", "order:2002"),
            Step(4, "m-1", JournalSteps.Delivered, "corr-1", "order:1001"),
        ], Ct);

    [Test]
    public async Task Journal_trace_by_message_id_returns_its_steps_oldest_first()
    {
        await AppendTwoOrderMessagesAndAnUnrelatedOneAsync();

        var trace = await State.Journal.TraceAsync("m-1", 100, Ct);

        Assert.That(trace.Select(e => e.Step), Is.EqualTo(new[] { JournalSteps.Received, JournalSteps.Transformed, JournalSteps.Delivered }));
        Assert.That(trace.Select(e => e.At), Is.Ordered);
    }

    [Test]
    public async Task Journal_trace_by_correlation_id_spans_messages()
    {
        await AppendTwoOrderMessagesAndAnUnrelatedOneAsync();

        var trace = await State.Journal.TraceAsync("corr-1", 100, Ct);

        Assert.That(trace.Select(e => (e.MessageId, e.At)), Is.EqualTo(new[] { ("m-1", At(0)), ("m-1", At(1)), ("m-2", At(3)), ("m-1", At(4)) }));
    }

    [Test]
    public async Task Journal_trace_by_entity_key_spans_messages()
    {
        await AppendTwoOrderMessagesAndAnUnrelatedOneAsync();

        var trace = await State.Journal.TraceAsync("order:2002", 100, Ct);

        Assert.That(trace.Select(e => e.MessageId), Is.EqualTo(new[] { "m-3" }));
    }

    [Test]
    public async Task Journal_trace_limit_keeps_the_oldest()
    {
        await AppendTwoOrderMessagesAndAnUnrelatedOneAsync();

        var trace = await State.Journal.TraceAsync("corr-1", 2, Ct);

        Assert.That(trace.Select(e => e.At), Is.EqualTo(new[] { At(0), At(1) }));
    }

    [Test]
    public async Task Journal_entries_with_equal_times_keep_their_write_order()
    {
        await State.Journal.AppendAsync([Step(0, "m-1", JournalSteps.Received), Step(0, "m-1", JournalSteps.Duplicate)], Ct);
        await State.Journal.AppendAsync([Step(0, "m-1", JournalSteps.Rejected)], Ct);

        var trace = await State.Journal.TraceAsync("m-1", 100, Ct);

        Assert.That(trace.Select(e => e.Step), Is.EqualTo(new[] { JournalSteps.Received, JournalSteps.Duplicate, JournalSteps.Rejected }));
    }

    [Test]
    public async Task Journal_entry_round_trips_every_field()
    {
        var entry = new JournalEntry
        {
            At = At(7).AddMilliseconds(123),
            MessageId = "m-1",
            CorrelationId = "corr-1",
            EntityKey = "order:1001",
            Route = "orders-to-1c",
            Endpoint = "onec-http",
            Step = JournalSteps.Failed,
            Detail = "HTTP 503 от 1С",
            DurationMs = 12.5,
        };
        await CommitAsync(c => c.Journal.Add(entry));

        var stored = (await State.Journal.TraceAsync("m-1", 100, Ct)).Single();

        Assert.That(stored.Id, Is.Not.EqualTo(0));
        Assert.That(stored, Is.EqualTo(entry with { Id = stored.Id }));
    }

    [Test]
    public async Task Journal_since_returns_entries_at_or_after_the_time_oldest_first()
    {
        await AppendTwoOrderMessagesAndAnUnrelatedOneAsync();

        var recent = await State.Journal.SinceAsync(At(2), null, 100, Ct);

        Assert.That(recent.Select(e => e.At), Is.EqualTo(new[] { At(2), At(3), At(4) }));
        var received = await State.Journal.SinceAsync(At(0), JournalSteps.Received, 100, Ct);
        Assert.That(received.Select(e => e.MessageId), Is.EqualTo(new[] { "m-1", "m-3", "m-2" }));
    }

    [Test]
    public async Task Journal_counts_steps_since_a_time()
    {
        await AppendTwoOrderMessagesAndAnUnrelatedOneAsync();

        var counts = await State.Journal.CountSinceAsync(At(1), Ct);

        Assert.That(counts.Where(c => c.Step == JournalSteps.Received).Sum(c => c.Count), Is.EqualTo(2));
        Assert.That(counts.Where(c => c.Step == JournalSteps.Transformed).Sum(c => c.Count), Is.EqualTo(1));
        Assert.That(counts.Where(c => c.Step == JournalSteps.Delivered).Sum(c => c.Count), Is.EqualTo(1));
        Assert.That(counts.Sum(c => c.Count), Is.EqualTo(4));
    }
}
