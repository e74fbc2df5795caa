using Router.Core.Transformers;

namespace Router.Transformers.Tests;

public class GenericTransformersTests
{
    [Test]
    public void All_lists_the_generic_transformers_under_distinct_names()
    {
        var registry = new TransformerRegistry(GenericTransformers.All);

        Assert.That(registry.All.Select(f => f.Name), Is.EquivalentTo(new[] { "map", "filter", "set-header", "validate" }));
    }

    [Test]
    public void Each_factory_describes_itself()
    {
        foreach (var factory in GenericTransformers.All)
        {
            Assert.That(factory.Description, Is.Not.Empty, factory.Name);
        }
    }
}
