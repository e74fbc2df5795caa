using System.Text.Json;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Cli;

/// <summary>The README's first command, on a copy of config/ and its samples (with the sandbox on a free port).</summary>
public sealed class QuickstartTests
{
    [Test]
    public async Task The_quickstart_delivers_the_good_orders_and_explains_every_failure()
    {
        using var directory = new TemporaryDirectory();
        var config = CopyConfig(directory, out var sandboxUrl);
        var inbox = directory.Combine("data", "inbox", "orders");
        Directory.CreateDirectory(inbox);
        var time = DateTime.UtcNow.AddMinutes(-1);
        foreach (var sample in Directory.GetFiles(Path.Combine(RepositoryPaths.Config, "samples", "orders")).Order(StringComparer.Ordinal))
        {
            var target = Path.Combine(inbox, Path.GetFileName(sample));
            File.Copy(sample, target);
            File.SetLastWriteTimeUtc(target, time = time.AddSeconds(1));
        }
        var catalog = directory.Combine("data", "inbox", "catalog");
        Directory.CreateDirectory(catalog);
        foreach (var sample in new[] { "import.xml", "offers.xml" })
        {
            var target = Path.Combine(catalog, sample);
            File.Copy(Path.Combine(RepositoryPaths.Config, "samples", "catalog", sample), target);
            File.SetLastWriteTimeUtc(target, time = time.AddSeconds(1));
        }

        var run = await Support.Cli.RunAsync("run", "--once", "--sandbox", "--sandbox-url", sandboxUrl, "--config", config);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.Contain("7 accepted, 1 rejected"), run.Out);
        Assert.That(run.Out, Does.Contain("1 duplicate (skipped)"), run.Out);
        Assert.That(run.Out, Does.Contain("-> platform-orders      3 delivered, 1 dead-lettered"), run.Out);
        Assert.That(run.Out, Does.Contain("-> orders-archive       4 delivered"), run.Out);
        Assert.That(run.Out, Does.Contain("Failures: 3 dead letter(s)"), run.Out);
        Assert.That(run.Out, Does.Contain("schema-violation").And.Contain("idempotency-conflict").And.Contain("http-422"));
        Assert.That(run.Out, Does.Contain("./router dlq replay"));
        Assert.That(File.Exists(Path.Combine(inbox, "failed", "08-broken-export.json.error.txt")), Is.True);
        Assert.That(run.Out, Does.Contain("-> platform-products    2 delivered"), run.Out);
        Assert.That(run.Out, Does.Contain("-> platform-offers      5 delivered"), run.Out);
        Assert.That(Directory.GetFiles(Path.Combine(catalog, "processed")).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "import.xml", "offers.xml" }));

        var archived = Directory.GetFiles(directory.Combine("data", "outbox", "orders")).Select(Path.GetFileName).Order().ToList();
        Assert.That(archived, Is.EqualTo(new[] { "order_1001-1001-v1.json", "order_1002-1002-v1.json", "order_1003-1003-v1.json", "order_1004-1004-v1.json" }));
        using var order = JsonDocument.Parse(await File.ReadAllTextAsync(directory.Combine("data", "outbox", "orders", "order_1002-1002-v1.json")));
        var root = order.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("number").GetString(), Is.EqualTo("1002"));
            Assert.That(root.GetProperty("customer").GetProperty("phone").GetString(), Is.EqualTo("+79120001122"));
            Assert.That(root.GetProperty("lines")[0].GetProperty("unitPrice").GetProperty("amount").GetDecimal(), Is.EqualTo(799.90m));
            Assert.That(root.GetProperty("totals").GetProperty("total").GetProperty("amount").GetRawText(), Is.EqualTo("2898.70"));
        });

        var list = await Support.Cli.RunAsync("dlq", "list", "--json", "--config", config);
        Assert.That(list.ExitCode, Is.EqualTo(0), list.ToString());
        using var deadLetters = JsonDocument.Parse(list.Out);
        Assert.That(deadLetters.RootElement.GetArrayLength(), Is.EqualTo(3));

        var trace = await Support.Cli.RunAsync("trace", "order:1001", "--config", config);
        Assert.That(trace.ExitCode, Is.EqualTo(0), trace.ToString());
        Assert.That(trace.Out, Does.Contain("delivered").And.Contain("duplicate").And.Contain("platform-orders"));
    }

    [Test]
    public async Task The_quickstart_pays_ships_and_tells_1C_and_the_customer_about_each_carrier_order()
    {
        using var directory = new TemporaryDirectory();
        var config = CopyConfig(directory, out var sandboxUrl);
        var inbox = directory.Combine("data", "inbox", "orders");
        Directory.CreateDirectory(inbox);
        foreach (var sample in new[] { "01-order-1001.json", "02-order-1002.json" })
        {
            var target = Path.Combine(inbox, sample);
            File.Copy(Path.Combine(RepositoryPaths.Config, "samples", "orders", sample), target);
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddMinutes(-1));
        }

        var run = await Support.Cli.RunAsync("run", "--once", "--sandbox", "--sandbox-url", sandboxUrl, "--config", config);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        // Both orders: payment requested, paid (the sandbox payer, then its webhook), shipped, sent to 1C, three notifications each way.
        Assert.That(run.Out, Does.Contain("-> yookassa             2 delivered"), run.Out);
        Assert.That(run.Out, Does.Contain("-> cdek                 1 delivered"), run.Out);
        Assert.That(run.Out, Does.Contain("-> boxberry             1 delivered"), run.Out);
        Assert.That(run.Out, Does.Contain("-> onec-orders          2 delivered"), run.Out);
        Assert.That(run.Out, Does.Contain("-> sms                  6 delivered"), run.Out);
        Assert.That(run.Out, Does.Contain("-> email                6 delivered"), run.Out);
        Assert.That(run.Out, Does.Not.Contain("dead letter"), run.Out);
        Assert.That(Directory.GetFiles(directory.Combine("data", "outbox", "mail"), "*.eml"), Has.Length.EqualTo(6));

        var trace = await Support.Cli.RunAsync("trace", "order:1001", "--config", config);
        Assert.That(trace.ExitCode, Is.EqualTo(0), trace.ToString());
        Assert.That(trace.Out, Does.Contain("from yookassa: yookassa webhook from 127.0.0.1"), "the payment's success came by webhook");
        Assert.That(trace.Out, Does.Contain("order 1001: paid (6290.00 RUB) -> shipment requested from cdek, order sent to onec-orders"));
        Assert.That(trace.Out, Does.Contain("order 1001: shipment created at cdek"));
    }

    /// <summary>Copies config/ into the temp directory, pointing the sandbox URL at a free port.</summary>
    internal static string CopyConfig(TemporaryDirectory directory, out string sandboxUrl)
    {
        sandboxUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var target = directory.Combine("config");
        foreach (var file in Directory.GetFiles(RepositoryPaths.Config, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(RepositoryPaths.Config, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        var main = Path.Combine(target, "router.yaml");
        File.WriteAllText(main, File.ReadAllText(main)
            .Replace("http://127.0.0.1:5090", sandboxUrl, StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5080", $"http://127.0.0.1:{FreePort.Next()}", StringComparison.Ordinal));
        return main;
    }
}
