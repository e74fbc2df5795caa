using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Cli;

public sealed class BadInputTests
{
    private const string Config = """
        router:
          storage: { kind: sqlite, path: ./blocked/data/router.db }
        endpoints:
          inbox: { kind: folder, path: ./in, type: order.created }
          out: { kind: folder, path: ./out }
        routes:
          - id: r
            from: inbox
            to: [ out ]
        """;

    [Test]
    public async Task A_data_directory_that_cannot_be_created_is_named_in_a_clear_error()
    {
        using var directory = new TemporaryDirectory();
        await File.WriteAllTextAsync(directory.Combine("blocked"), "a file where the data directory should be");
        var config = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(config, Config);

        var result = await Support.Cli.RunAsync("run", "--once", "--config", config);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("cannot create the data directory").And.Contain(directory.Combine("blocked", "data")));
    }

    [Test]
    public async Task An_envelope_of_an_unknown_message_type_is_refused_with_exit_code_2()
    {
        using var directory = new TemporaryDirectory();
        var config = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(config, Config.Replace("./blocked/data/router.db", "./data/router.db", StringComparison.Ordinal));
        var input = directory.Combine("envelope.json");
        await File.WriteAllTextAsync(input, """
            { "messageId": "m-1", "type": "order.creatd", "source": "cli", "occurredAt": "2026-11-24T10:00:00Z", "payload": { "number": "1" } }
            """);

        var result = await Support.Cli.RunAsync("send", "--route", "r", "--input", input, "--config", config);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("unknown message type 'order.creatd'"));
    }

    [Test]
    public async Task Dead_letters_group_by_their_cause()
    {
        using var directory = new TemporaryDirectory();
        var config = QuickstartTests.CopyConfig(directory, out var sandboxUrl);
        var inbox = directory.Combine("data", "inbox", "orders");
        Directory.CreateDirectory(inbox);
        foreach (var number in new[] { "2001", "2002", "2003" })
        {
            var text = (await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Config, "samples", "orders", "05-order-1005-no-items.json")))
                .Replace("1005", number, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(inbox, $"{number}.json"), text);
        }
        await Support.Cli.RunAsync("run", "--once", "--sandbox", "--sandbox-url", sandboxUrl, "--config", config);

        var grouped = await Support.Cli.RunAsync("dlq", "list", "--group", "--config", config);

        Assert.That(grouped.ExitCode, Is.EqualTo(0), grouped.ToString());
        var rows = grouped.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.That(rows, Has.Count.EqualTo(1), grouped.Out);
        Assert.That(rows[0].TrimStart(), Does.StartWith("3 ").And.Contain("schema-violation"));
    }
}
