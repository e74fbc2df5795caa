using System.Text.Json;
using System.Text.RegularExpressions;
using Router.Integration.Tests.Support;
using Router.Testing;

namespace Router.Integration.Tests.Cli;

/// <summary>
/// The quickstart again with <c>transport.kind: postgresql</c> and <c>storage.kind: postgresql</c> on one database:
/// the same outcome as on SQLite, and <c>dlq</c>, <c>trace</c> and a replay working on PostgreSQL's state.
/// </summary>
public sealed partial class PostgresQuickstartTests
{
    [GeneratedRegex(@"^  transport: .*$\n^  storage: .*$", RegexOptions.Multiline)]
    private static partial Regex TransportAndStorage();

    [Test]
    public async Task The_quickstart_on_postgresql_delivers_the_same_and_its_failures_can_be_listed_traced_and_replayed()
    {
        await using var schema = await PostgresTestSchema.CreateAsync("quickstart");
        // The YAML names the connection by reference, as production configs do; the variable is this test's own.
        var variable = $"ROUTER_TEST_PG_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, schema.ConnectionString);
        using var directory = new TemporaryDirectory();
        var config = QuickstartTests.CopyConfig(directory, out var sandboxUrl);
        var yaml = await File.ReadAllTextAsync(config);
        Assert.That(TransportAndStorage().IsMatch(yaml), Is.True, "config/router.yaml changed its transport and storage lines");
        await File.WriteAllTextAsync(config, TransportAndStorage().Replace(yaml,
            $"  transport:\n    kind: postgresql\n    connection: ${{env:{variable}}}\n  storage:\n    kind: postgresql\n    connection: ${{env:{variable}}}"));
        var inbox = directory.Combine("data", "inbox", "orders");
        Directory.CreateDirectory(inbox);
        var time = DateTime.UtcNow.AddMinutes(-1);
        foreach (var sample in Directory.GetFiles(Path.Combine(RepositoryPaths.Config, "samples", "orders")).Order(StringComparer.Ordinal))
        {
            var target = Path.Combine(inbox, Path.GetFileName(sample));
            File.Copy(sample, target);
            File.SetLastWriteTimeUtc(target, time = time.AddSeconds(1));
        }

        try
        {
            var run = await Support.Cli.RunAsync("run", "--once", "--sandbox", "--sandbox-url", sandboxUrl, "--config", config);

            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(run.Out, Does.Contain("7 accepted, 1 rejected"), run.Out);
            Assert.That(run.Out, Does.Contain("1 duplicate (skipped)"), run.Out);
            Assert.That(run.Out, Does.Contain("-> platform-orders      3 delivered, 1 dead-lettered"), run.Out);
            Assert.That(run.Out, Does.Contain("-> orders-archive       4 delivered"), run.Out);
            Assert.That(run.Out, Does.Contain("Failures: 3 dead letter(s)"), run.Out);
            Assert.That(run.Out + run.Error, Does.Not.Contain(schema.ConnectionString.Split("Password=")[1].Split(';')[0]), "the password must never be printed");

            var list = await Support.Cli.RunAsync("dlq", "list", "--json", "--config", config);
            Assert.That(list.ExitCode, Is.EqualTo(0), list.ToString());
            using var deadLetters = JsonDocument.Parse(list.Out);
            Assert.That(deadLetters.RootElement.GetArrayLength(), Is.EqualTo(3));

            var trace = await Support.Cli.RunAsync("trace", "order:1001", "--config", config);
            Assert.That(trace.ExitCode, Is.EqualTo(0), trace.ToString());
            Assert.That(trace.Out, Does.Contain("delivered").And.Contain("duplicate").And.Contain("platform-orders"));

            // The http-422 leg, replayed as it is, is sent once and claimed once: a second replay finds it no longer pending.
            var rejected = deadLetters.RootElement.EnumerateArray().Single(d => d.GetProperty("errorCode").GetString() == "http-422");
            var id = rejected.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var replay = await Support.Cli.RunAsync("dlq", "replay", id, "--config", config);
            Assert.That(replay.ExitCode, Is.EqualTo(0), replay.ToString());
            var again = await Support.Cli.RunAsync("dlq", "replay", id, "--config", config);
            Assert.That(again.Out + again.Error, Does.Contain("replayed").IgnoreCase.Or.Contain("not pending").IgnoreCase, again.ToString());
            var afterReplay = await Support.Cli.RunAsync("trace", "order:1004", "--config", config);
            Assert.That(Regex.Matches(afterReplay.Out, @"^\S+ \S+\s+replayed\s", RegexOptions.Multiline).Count, Is.EqualTo(1), afterReplay.Out);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
