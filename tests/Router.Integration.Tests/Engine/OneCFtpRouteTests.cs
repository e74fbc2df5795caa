using System.Text.Json;
using Router.Integration.Tests.Support;
using Router.Testing;

namespace Router.Integration.Tests.Engine;

/// <summary>1C unloads its catalogue to an FTP exchange folder; the router takes it from there to canonical products.</summary>
public sealed class OneCFtpRouteTests
{
    [Test]
    public async Task A_catalogue_on_ftp_becomes_one_catalog_product_per_item_and_the_file_moves_to_processed()
    {
        var url = TestServers.Require("ROUTER_TEST_FTP_URL");
        var user = TestServers.Require("ROUTER_TEST_FTP_USER");
        TestServers.Require("ROUTER_TEST_FTP_PASSWORD");
        var folder = "engine-" + Guid.NewGuid().ToString("N")[..12];
        var local = Path.Combine(TestServers.Require("ROUTER_TEST_FTP_ROOT"), folder);
        Directory.CreateDirectory(local);
        var fixture = Path.Combine(RepositoryPaths.Shared, "fixtures", "commerceml", "04_carono_import_2.07.xml");
        File.Copy(fixture, Path.Combine(local, "import.xml"));
        try
        {
            var yaml = $$"""
                router:
                  storage: { kind: sqlite, path: ./data/router.db }
                endpoints:
                  from-1c:
                    kind: onec-ftp
                    url: {{url}}
                    user: {{user}}
                    password: ${env:ROUTER_TEST_FTP_PASSWORD}
                    path: /{{folder}}
                    pattern: [ "import*.xml", "offers*.xml" ]
                    type: file.received
                  products: { kind: folder, path: ./products, fileName: "{entityKey}.json" }
                routes:
                  - id: catalog-from-1c
                    from: from-1c
                    steps:
                      - commerceml-catalog: {}
                    to: [ products ]
                """;
            await using var router = await RouterFixture.StartAsync(yaml);

            var polls = await router.RunOnceAsync();

            Assert.That(polls["from-1c"].Accepted, Is.EqualTo(1));
            var products = Directory.GetFiles(router.Path("products"));
            Assert.That(products, Has.Length.EqualTo(File.ReadAllText(fixture).Split("<Товар>").Length - 1));
            var skus = products.Select(p => JsonDocument.Parse(File.ReadAllText(p)).RootElement.GetProperty("sku").GetString()).ToList();
            Assert.That(skus, Does.Contain("Б-130001"));
            Assert.That(await router.DeadLettersAsync(), Is.Empty);
            Assert.That(Directory.GetFiles(local), Is.Empty);
            Assert.That(File.ReadAllBytes(Path.Combine(local, "processed", "import.xml")), Is.EqualTo(File.ReadAllBytes(fixture)));
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }
}
