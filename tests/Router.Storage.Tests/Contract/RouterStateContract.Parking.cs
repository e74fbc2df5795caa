using Router.Core.Stores;

namespace Router.Storage.Tests.Contract;

public abstract partial class RouterStateContract
{
    private static ParkedMessage Parked(string messageId, string entityKey, int minute, string route = "orders-to-1c") => new()
    {
        Route = route,
        EntityKey = entityKey,
        MessageId = messageId,
        ParkedAt = At(minute),
        EnvelopeJson = $$"""{"messageId":"{{messageId}}"}""",
    };

    [Test]
    public async Task Parked_messages_of_an_entity_are_listed_oldest_first()
    {
        await CommitAsync(c =>
        {
            c.Parked.Add(Parked("m-3", "order:1001", 3));
            c.Parked.Add(Parked("m-1", "order:1001", 1));
            c.Parked.Add(Parked("m-x", "order:2002", 2));
            c.Parked.Add(Parked("m-y", "order:1001", 2, route: "payments"));
        });
        await CommitAsync(c => c.Parked.Add(Parked("m-2", "order:1001", 2)));

        var parked = await State.Parking.ListAsync("orders-to-1c", "order:1001", Ct);

        Assert.That(parked.Select(p => p.MessageId), Is.EqualTo(new[] { "m-1", "m-2", "m-3" }));
        Assert.That(parked[0], Is.EqualTo(Parked("m-1", "order:1001", 1) with { Id = parked[0].Id }));
        Assert.That(parked.Select(p => p.Id), Is.Unique);
        Assert.That(await State.Parking.CountAsync(Ct), Is.EqualTo(5));
    }

    [Test]
    public async Task Unparking_removes_exactly_the_named_messages()
    {
        await CommitAsync(c =>
        {
            c.Parked.Add(Parked("m-1", "order:1001", 1));
            c.Parked.Add(Parked("m-2", "order:1001", 2));
        });
        var first = (await State.Parking.ListAsync("orders-to-1c", "order:1001", Ct))[0];

        await CommitAsync(c => c.Unparked.Add(first.Id));

        Assert.That((await State.Parking.ListAsync("orders-to-1c", "order:1001", Ct)).Select(p => p.MessageId), Is.EqualTo(new[] { "m-2" }));
        Assert.That(await State.Parking.CountAsync(Ct), Is.EqualTo(1));
    }
}
