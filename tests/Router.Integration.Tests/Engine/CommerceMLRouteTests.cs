using System.Text.Json;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Engine;

/// <summary>A 1C catalogue export dropped into a folder comes out as canonical products, one file each.</summary>
public sealed class CommerceMLRouteTests
{
    [Test]
    public async Task An_import_file_becomes_one_catalog_product_per_item()
    {
        const string yaml = """
            router:
              storage: { kind: sqlite, path: ./data/router.db }
            endpoints:
              from-1c: { kind: folder, path: ./from-1c, pattern: "import*.xml", format: xml, type: file.received }
              products: { kind: folder, path: ./products, fileName: "{entityKey}.json" }
            routes:
              - id: catalog-from-1c
                from: from-1c
                steps:
                  - commerceml-catalog: {}
                to: [ products ]
            """;
        await using var router = await RouterFixture.StartAsync(yaml);
        var fixture = Path.Combine(RepositoryPaths.Shared, "fixtures", "commerceml", "04_carono_import_2.07.xml");
        Directory.CreateDirectory(router.Path("from-1c"));
        File.Copy(fixture, router.Path("from-1c", "import.xml"));

        await router.RunOnceAsync();

        var products = Directory.GetFiles(router.Path("products"));
        Assert.That(products, Has.Length.EqualTo(File.ReadAllText(fixture).Split("<Товар>").Length - 1));
        var skus = products.Select(p => JsonDocument.Parse(File.ReadAllText(p)).RootElement.GetProperty("sku").GetString()).ToList();
        Assert.That(skus, Does.Contain("Б-130001"));
        Assert.That(await router.DeadLettersAsync(), Is.Empty);
    }
}
