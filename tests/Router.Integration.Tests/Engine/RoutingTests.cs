using Router.Core.Failures;
using Router.Core.Stores;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Engine;

public sealed class RoutingTests
{
    [Test]
    public async Task A_when_that_fails_dead_letters_the_message_before_any_leg_is_sent()
    {
        const string to = """[ platform, { endpoint: archive, when: "$.customer.company.toUpperCase() === 'ООО'" } ]""";
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(to: to));
        router.Drop("inbox", "a.json", Yaml.Order("7001"));
        await router.RunOnceAsync();

        Assert.That(router.Requests("/platform/orders"), Is.Empty, "no leg goes out when the routing of the message fails");
        var dead = (await router.DeadLettersAsync()).Single();
        Assert.That(dead.ErrorCode, Is.EqualTo(ErrorCodes.ExpressionFailed));
        Assert.That(dead.Stage, Is.EqualTo(DeadLetterStage.Route));
    }

    [Test]
    public async Task A_when_routes_each_message_only_to_the_legs_it_selects()
    {
        const string to = """[ platform, { endpoint: archive, when: "$.total > 5000" } ]""";
        await using var router = await RouterFixture.StartAsync(Yaml.Orders(to: to));
        router.Drop("inbox", "small.json", Yaml.Order("7101"));
        router.Drop("inbox", "large.json", Yaml.Order("7102").Replace("1234.56", "9999.00", StringComparison.Ordinal));
        await router.RunOnceAsync();

        Assert.That(router.Requests("/platform/orders"), Has.Count.EqualTo(2));
        Assert.That(Directory.GetFiles(router.Path("archive")).Select(Path.GetFileName), Is.EqualTo(new[] { "order_7102-7102-v1.json" }));
    }
}
