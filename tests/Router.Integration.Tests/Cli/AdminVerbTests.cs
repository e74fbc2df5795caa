using System.Text.Json;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Cli;

public sealed class AdminVerbTests
{
    [Test]
    public async Task Preview_shows_each_destination_exactly_and_masks_secrets_without_sending()
    {
        using var directory = new TemporaryDirectory();
        var config = QuickstartTests.CopyConfig(directory, out _);
        var yaml = await File.ReadAllTextAsync(config);
        Environment.SetEnvironmentVariable("ROUTER_TEST_PLATFORM_TOKEN", "s3cr3t-token-value");
        await File.WriteAllTextAsync(config, yaml.Replace("    method: POST\n", "    method: POST\n    auth: { bearer: \"${env:ROUTER_TEST_PLATFORM_TOKEN}\" }\n", StringComparison.Ordinal));

        var result = await Support.Cli.RunAsync("preview", "--route", "orders-to-platform", "--config", config,
            "--input", Path.Combine(RepositoryPaths.Config, "samples", "orders", "02-order-1002.json"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Out, Does.Contain("=== platform-orders (1002-v1)"));
        Assert.That(result.Out, Does.Contain("POST http://127.0.0.1:"));
        Assert.That(result.Out, Does.Contain("Authorization: ***"));
        Assert.That(result.Out, Does.Contain("Idempotency-Key: "));
        Assert.That(result.Out, Does.Contain("=== orders-archive (1002-v1)").And.Contain("order_1002-1002-v1.json"));
        Assert.That(result.Out, Does.Contain("\"phone\": \"+79120001122\"").Or.Contain("\"phone\":\"+79120001122\""));
        Assert.That(result.Out + result.Error, Does.Not.Contain("s3cr3t-token-value"));
        Assert.That(Directory.Exists(directory.Combine("data", "outbox")), Is.False, "preview sends nothing");
    }

    [Test]
    public async Task Preview_of_an_input_the_route_would_reject_says_why_with_exit_code_2()
    {
        using var directory = new TemporaryDirectory();
        var config = QuickstartTests.CopyConfig(directory, out _);
        var result = await Support.Cli.RunAsync("preview", "--route", "orders-to-platform", "--config", config,
            "--input", Path.Combine(RepositoryPaths.Config, "samples", "orders", "05-order-1005-no-items.json"));
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("schema-violation").And.Contain("/items"));

        var broken = await Support.Cli.RunAsync("preview", "--route", "orders-to-platform", "--config", config,
            "--input", Path.Combine(RepositoryPaths.Config, "samples", "orders", "08-broken-export.json"));
        Assert.That(broken.ExitCode, Is.EqualTo(2), broken.ToString());
        Assert.That(broken.Error, Does.Contain("malformed JSON at line 5"));
    }

    [Test]
    public async Task Transform_runs_one_transformer_with_options_from_the_command_line()
    {
        using var directory = new TemporaryDirectory();
        var input = directory.Combine("in.json");
        await File.WriteAllTextAsync(input, """{ "orderNumber": "77", "client": { "tel": "8 916 123 45 67" } }""");

        var result = await Support.Cli.RunAsync("transform", "--transformer", "map", "--input", input,
            "--option", "type=order.created", "--option", "fields={ number: $.orderNumber, phone: { path: $.client.tel, convert: phone } }");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        using var envelope = JsonDocument.Parse(result.Out.Trim());
        Assert.That(envelope.RootElement.GetProperty("type").GetString(), Is.EqualTo("order.created"));
        Assert.That(envelope.RootElement.GetProperty("payload").GetProperty("number").GetString(), Is.EqualTo("77"));
        Assert.That(envelope.RootElement.GetProperty("payload").GetProperty("phone").GetString(), Is.EqualTo("+79161234567"));

        var bad = await Support.Cli.RunAsync("transform", "--transformer", "map", "--input", input, "--option", "fieldz={}");
        Assert.That(bad.ExitCode, Is.EqualTo(2), bad.ToString());
        Assert.That(bad.Error, Does.Contain("fieldz"));
    }

    [Test]
    public async Task Send_then_run_once_then_replay_from_the_command_line()
    {
        using var directory = new TemporaryDirectory();
        var config = QuickstartTests.CopyConfig(directory, out var sandboxUrl);
        var sample = Path.Combine(RepositoryPaths.Config, "samples", "orders", "04-order-1004-bad-email.json");

        var send = await Support.Cli.RunAsync("send", "--route", "orders-to-platform", "--input", sample, "--config", config);
        Assert.That(send.ExitCode, Is.EqualTo(0), send.ToString());
        Assert.That(send.Out, Does.Contain("1004-v1"));

        var run = await Support.Cli.RunAsync("run", "--once", "--sandbox", "--sandbox-url", sandboxUrl, "--config", config);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Out, Does.Contain("http-422"));

        var dryRun = await Support.Cli.RunAsync("dlq", "replay", "--all", "--dry-run", "--config", config);
        Assert.That(dryRun.Out, Does.Contain("would send 1004-v1 to deliver.platform-orders"), dryRun.ToString());

        var replay = await Support.Cli.RunAsync("dlq", "replay", "--all", "--endpoint", "platform-orders", "--config", config);
        Assert.That(replay.ExitCode, Is.EqualTo(0), replay.ToString());
        Assert.That(replay.Out, Does.Contain("1 replayed"));
        var again = await Support.Cli.RunAsync("dlq", "replay", "--all", "--config", config);
        Assert.That(again.Out, Does.Contain("nothing to replay"), "a replayed dead letter is no longer pending");

        var show = await Support.Cli.RunAsync("dlq", "show", "1", "--json", "--config", config);
        using var shown = JsonDocument.Parse(show.Out);
        Assert.That(shown.RootElement.GetProperty("status").GetString(), Is.EqualTo("replayed"));
        Assert.That(shown.RootElement.GetProperty("replayHistory").GetArrayLength(), Is.EqualTo(1));

        var delete = await Support.Cli.RunAsync("dlq", "delete", "1", "--config", config);
        Assert.That(delete.Out, Does.Contain("archived 1"), delete.ToString());
        var missing = await Support.Cli.RunAsync("dlq", "show", "999", "--config", config);
        Assert.That(missing.ExitCode, Is.EqualTo(2));
    }
}
