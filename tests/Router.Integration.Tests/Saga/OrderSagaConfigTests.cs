using System.IO.Abstractions;
using Router.Core.Config;
using Router.Host.Composition;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Saga;

public sealed class OrderSagaConfigTests
{
    [Test]
    public void The_endpoints_a_saga_names_must_exist_and_be_other_endpoints()
    {
        var yaml = SagaYaml.Config()
            .Replace("payment: yookassa", "payment: yookasa", StringComparison.Ordinal)
            .Replace("onec: onec-orders", "onec: order-saga", StringComparison.Ordinal);

        var errors = Load(yaml).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Has.Some.Contains("yookasa").And.Some.Contains("yookassa"), string.Join("\n", errors));
        Assert.That(errors, Has.Some.Contains("endpoint 'order-saga' cannot send its commands to itself"), string.Join("\n", errors));
    }

    [Test]
    public void A_saga_needs_a_payment_endpoint_and_carriers()
    {
        var yaml = SagaYaml.Config()
            .Replace("    payment: yookassa\n", "", StringComparison.Ordinal)
            .Replace("    carriers: { cdek: cdek, boxberry: boxberry }\n", "", StringComparison.Ordinal);

        var errors = Load(yaml).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Has.Some.Contains("payment").And.Some.Contains("carriers"), string.Join("\n", errors));
    }

    private static ConfigLoadResult Load(string yaml)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Combine("router.yaml");
        File.WriteAllText(path, yaml);
        return new ConfigLoader(BuiltInComponents.EndpointKinds(), BuiltInComponents.Transformers(), new FileSystem(), Environment.GetEnvironmentVariable).Load(path);
    }
}
