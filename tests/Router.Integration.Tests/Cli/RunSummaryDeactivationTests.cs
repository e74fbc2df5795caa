using Router.Core.Endpoints;
using Router.Core.Stores;
using Router.Host.Summary;

namespace Router.Integration.Tests.Cli;

public sealed class RunSummaryDeactivationTests
{
    [Test]
    public void A_route_that_deactivated_products_says_so()
    {
        var summary = new RunSummary(TimeSpan.FromSeconds(1), Drained: true, new Dictionary<string, PollResult>(),
            [new JournalCount("catalog-from-1c", null, JournalSteps.Transformed, 2), new JournalCount("catalog-from-1c", null, JournalSteps.Deactivated, 1)],
            [], [], 0);

        Assert.That(summary.Render("router.yaml"), Does.Contain("2 transformed, 1 with deactivations (full snapshot)"));
    }
}
