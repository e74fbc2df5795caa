using System.Text.Json;
using Router.Core.Stores;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Engine;

/// <summary>
/// Two-way customer sync through the engine on the embedded default: the platform's customers go to 1C's folder and
/// 1C's to the platform's, each route declaring its side. Changes are timed on the router's own clock so "1C changed
/// it while the platform's version was on its way" is what actually happened, not an assumption about speed.
/// </summary>
public sealed class CustomerConflictTests
{
    private const string Fields = "{ email: critical, inn: critical, phone: warning, companyName: critical }";

    /// <param name="onecMessageId">False: 1C's messages are named by their file (name and content hash), as a folder names them by default.</param>
    private static string Config(string strategy, string entityKey = "", bool onecMessageId = true) => $$"""
        {{Yaml.Header()}}
        endpoints:
          platform-customers:
            kind: folder
            path: ./in/platform
            type: customer.upserted
            messageId: "'p-' + $.id + '-v' + $.version"
            {{entityKey}}
          onec-customers:
            kind: folder
            path: ./in/onec
            type: customer.upserted
            {{(onecMessageId ? "messageId: \"'o-' + $.id + '-v' + $.version\"" : "")}}
            {{entityKey}}
          onec-out: { kind: folder, path: ./out/onec }
          platform-out: { kind: folder, path: ./out/platform }
        routes:
          - id: customers-to-1c
            from: platform-customers
            conflicts: { side: platform, key: $.id, strategy: {{strategy}}, fields: {{Fields}} }
            to: onec-out
          - id: customers-to-platform
            from: onec-customers
            conflicts: { side: onec, key: $.id, strategy: {{strategy}}, fields: {{Fields}} }
            to: platform-out
        """;

    private static string Customer(string id, int version, DateTimeOffset updatedAt, string email = "old@example.ru", string phone = "+79160000000",
        string inn = "7707083893") =>
        JsonSerializer.Serialize(new { id, version, updatedAt, email, phone, inn, companyName = "ООО Ромашка", name = "Иван Петров" });

    private static void FromPlatform(RouterFixture router, string id, int version, DateTimeOffset updatedAt, string email = "old@example.ru",
        string phone = "+79160000000", string inn = "7707083893") =>
        router.Drop("in/platform", $"{id}-v{version}.json", Customer(id, version, updatedAt, email, phone, inn));

    private static void FromOnec(RouterFixture router, string id, int version, DateTimeOffset updatedAt, string email = "old@example.ru",
        string phone = "+79160000000", string inn = "7707083893") =>
        router.Drop("in/onec", $"{id}-v{version}.json", Customer(id, version, updatedAt, email, phone, inn));

    private static JsonElement Delivered(RouterFixture router, string side, string messageId)
    {
        var path = router.Path("out", side, messageId + ".json");
        Assert.That(File.Exists(path), Is.True, $"{messageId} was not delivered to {side}");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    /// <summary>The platform creates customer <paramref name="id"/>; it reaches 1C. Returns a time after that delivery.</summary>
    private static async Task<DateTimeOffset> SeedAsync(RouterFixture router, params string[] ids)
    {
        foreach (var id in ids)
        {
            FromPlatform(router, id, 1, DateTimeOffset.UtcNow.AddHours(-1));
        }
        await router.RunOnceAsync();
        foreach (var id in ids)
        {
            Delivered(router, "onec", $"p-{id}-v1");
        }
        return DateTimeOffset.UtcNow;
    }

    private static async Task<int> DeliveriesAsync(RouterFixture router, string messageId) =>
        (await router.TraceAsync(messageId)).Count(e => e.Step == JournalSteps.Delivered);

    [Test]
    public async Task Manual_review_dead_letters_a_critical_clash_shows_both_versions_and_replay_takes_the_chosen_side()
    {
        await using var router = await RouterFixture.StartAsync(Config("manual_review"));
        var afterSeed = await SeedAsync(router, "42");
        // The platform's new e-mail reaches 1C; 1C's user had changed it at afterSeed, before it arrived.
        FromPlatform(router, "42", 2, afterSeed, email: "platform@example.ru");
        await router.RunOnceAsync();
        Assert.That(Delivered(router, "onec", "p-42-v2").GetProperty("email").GetString(), Is.EqualTo("platform@example.ru"));
        FromOnec(router, "42", 2, afterSeed, email: "onec@example.ru");
        await router.RunOnceAsync();

        var dead = (await router.DeadLettersAsync()).Single();
        Assert.That((dead.ErrorCode, dead.Route, dead.EntityKey, dead.MessageId), Is.EqualTo(("conflict", "customers-to-platform", "customer:42", "o-42-v2")));
        Assert.That(File.Exists(router.Path("out", "platform", "o-42-v2.json")), Is.False, "nothing is delivered while it waits for a person");

        // The platform changes the phone meanwhile: it waits behind the conflict, though it travels the other route.
        FromPlatform(router, "42", 3, afterSeed.AddMilliseconds(1), email: "platform@example.ru", phone: "+79163333333");
        await router.RunOnceAsync();
        Assert.That((await router.TraceAsync("p-42-v3")).Select(e => e.Step), Does.Contain(JournalSteps.Parked));
        Assert.That(File.Exists(router.Path("out", "onec", "p-42-v3.json")), Is.False);

        var show = await Support.Cli.RunAsync("dlq", "show", dead.Id.ToString(), "--config", router.ConfigPath);
        Assert.That(show.ExitCode, Is.EqualTo(0), show.ToString());
        Assert.That(show.Out, Does.Contain("conflict      customer from 1C, strategy manual_review"));
        Assert.That(Row(show.Out, "email"), Does.StartWith("! email").And.Contain("critical")
            .And.Contain("old@example.ru").And.Contain("platform@example.ru").And.Contain("onec@example.ru").And.EndWith("<- choose"));
        Assert.That(Row(show.Out, "phone"), Does.StartWith("  phone").And.Contain("warning").And.Not.Contain("choose"));
        Assert.That(show.Out, Does.Contain($"./router dlq replay {dead.Id} --take platform|onec"));
        Assert.That(show.Out, Does.Not.Contain("conflict      {"), "the report is a table, not a JSON fact");

        var json = await Support.Cli.RunAsync("dlq", "show", dead.Id.ToString(), "--json", "--config", router.ConfigPath);
        using (var shown = JsonDocument.Parse(json.Out))
        {
            var conflict = shown.RootElement.GetProperty("conflict");
            Assert.That((conflict.GetProperty("side").GetString(), conflict.GetProperty("strategy").GetString()), Is.EqualTo(("onec", "manual_review")));
            var email = conflict.GetProperty("cases")[0].GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("field").GetString() == "email");
            Assert.That((email.GetProperty("base").GetString(), email.GetProperty("platform").GetString(), email.GetProperty("onec").GetString(),
                email.GetProperty("conflicting").GetBoolean()), Is.EqualTo(("old@example.ru", "platform@example.ru", "onec@example.ru", true)));
            Assert.That(shown.RootElement.GetProperty("facts").TryGetProperty("conflict", out _), Is.False);
        }

        var undecided = await Support.Cli.RunAsync("dlq", "replay", dead.Id.ToString(), "--config", router.ConfigPath);
        Assert.That(undecided.ExitCode, Is.EqualTo(2), undecided.ToString());
        Assert.That(undecided.Out, Does.Contain("both sides changed email: choose whose values to take with --take platform|onec"));
        var typo = await Support.Cli.RunAsync("dlq", "replay", dead.Id.ToString(), "--field", "emial=onec", "--config", router.ConfigPath);
        Assert.That(typo.ExitCode, Is.EqualTo(2), typo.ToString());
        Assert.That(typo.Error, Does.Contain("--field emial: not a conflicting field"));

        var replay = await Support.Cli.RunAsync("dlq", "replay", dead.Id.ToString(), "--take", "onec", "--config", router.ConfigPath);
        Assert.That(replay.ExitCode, Is.EqualTo(0), replay.ToString());
        Assert.That(replay.Out, Does.Contain("sent o-42-v2 to route.customers-to-platform (take onec)"));
        await router.DrainAsync();

        var resolved = Delivered(router, "platform", "o-42-v2");
        Assert.That(resolved.GetProperty("email").GetString(), Is.EqualTo("onec@example.ru"));
        Assert.That(await DeliveriesAsync(router, "o-42-v2"), Is.EqualTo(1));
        Assert.That((await router.TraceAsync("o-42-v2")).Single(e => e.Step == JournalSteps.ConflictResolved).Detail,
            Is.EqualTo("customer:42: email -> 1C (chosen at replay)"));
        Assert.That((await router.State.DeadLetters.GetAsync(dead.Id, CancellationToken.None))!.Status, Is.EqualTo(DeadLetterStatus.Resolved));
        // The parked platform change went on once the conflict cleared, carrying the e-mail that won.
        var followUp = Delivered(router, "onec", "p-42-v3");
        Assert.That((followUp.GetProperty("phone").GetString(), followUp.GetProperty("email").GetString()), Is.EqualTo(("+79163333333", "onec@example.ru")));
        Assert.That(await router.State.Parking.CountAsync(CancellationToken.None), Is.Zero);

        var again = await Support.Cli.RunAsync("dlq", "replay", dead.Id.ToString(), "--take", "onec", "--config", router.ConfigPath);
        Assert.That(again.Out, Does.Contain("notpending"), again.ToString());
        await router.DrainAsync();
        Assert.That(await DeliveriesAsync(router, "o-42-v2"), Is.EqualTo(1), "delivered once");
    }

    [Test]
    public async Task Merge_smart_settles_a_phone_clash_by_the_latest_change_and_parks_an_inn_clash()
    {
        await using var router = await RouterFixture.StartAsync(Config("merge_smart"));
        var afterSeed = await SeedAsync(router, "42", "43");
        // The platform's changes were made a minute before 1C's, but reach the router first.
        FromPlatform(router, "42", 2, afterSeed.AddMinutes(-1), phone: "+79161111111");
        FromPlatform(router, "43", 2, afterSeed.AddMinutes(-1), inn: "7707083894");
        await router.RunOnceAsync();
        FromOnec(router, "42", 2, afterSeed, phone: "+79162222222");
        FromOnec(router, "43", 2, afterSeed, inn: "500100732259");
        await router.RunOnceAsync();

        var phone = Delivered(router, "platform", "o-42-v2");
        Assert.That(phone.GetProperty("phone").GetString(), Is.EqualTo("+79162222222"), "1C changed it last");
        var resolved = (await router.TraceAsync("o-42-v2")).Single(e => e.Step == JournalSteps.ConflictResolved);
        Assert.That(resolved.Detail, Does.StartWith("customer:42: phone -> 1C (most recent change"));

        var dead = (await router.DeadLettersAsync()).Single();
        Assert.That((dead.ErrorCode, dead.EntityKey), Is.EqualTo(("conflict", "customer:43")));
        Assert.That(dead.ErrorMessage, Does.StartWith("customer:43 changed on both sides: inn (critical)"));
        Assert.That(File.Exists(router.Path("out", "platform", "o-43-v2.json")), Is.False);
    }

    [Test]
    public async Task Platform_wins_gives_1cs_message_the_platforms_value()
    {
        await using var router = await RouterFixture.StartAsync(Config("platform_wins"));
        var afterSeed = await SeedAsync(router, "42");
        FromPlatform(router, "42", 2, afterSeed, email: "platform@example.ru");
        await router.RunOnceAsync();
        FromOnec(router, "42", 2, afterSeed, email: "onec@example.ru", phone: "+79162222222");
        await router.RunOnceAsync();

        var delivered = Delivered(router, "platform", "o-42-v2");
        Assert.That((delivered.GetProperty("email").GetString(), delivered.GetProperty("phone").GetString()),
            Is.EqualTo(("platform@example.ru", "+79162222222")), "the platform keeps its e-mail; 1C's phone, which nobody else changed, goes through");
        Assert.That(await router.DeadLettersAsync(), Is.Empty);
    }

    [Test]
    public async Task Onec_wins_gives_the_platforms_message_1cs_value()
    {
        await using var router = await RouterFixture.StartAsync(Config("onec_wins"));
        var afterSeed = await SeedAsync(router, "42");
        FromOnec(router, "42", 2, afterSeed, email: "onec@example.ru");
        await router.RunOnceAsync();
        Assert.That(Delivered(router, "platform", "o-42-v2").GetProperty("email").GetString(), Is.EqualTo("onec@example.ru"));
        FromPlatform(router, "42", 2, afterSeed, email: "platform@example.ru");
        await router.RunOnceAsync();

        Assert.That(Delivered(router, "onec", "p-42-v2").GetProperty("email").GetString(), Is.EqualTo("onec@example.ru"));
        Assert.That((await router.TraceAsync("p-42-v2")).Single(e => e.Step == JournalSteps.ConflictResolved).Detail,
            Is.EqualTo("customer:42: email -> 1C (onec_wins)"));
    }

    [Test]
    public async Task Archiving_a_conflict_releases_what_was_parked_behind_it()
    {
        await using var router = await RouterFixture.StartAsync(Config("manual_review"));
        var afterSeed = await SeedAsync(router, "42");
        FromPlatform(router, "42", 2, afterSeed, email: "platform@example.ru");
        await router.RunOnceAsync();
        FromOnec(router, "42", 2, afterSeed, email: "onec@example.ru");
        await router.RunOnceAsync();
        FromOnec(router, "42", 3, DateTimeOffset.UtcNow, email: "platform@example.ru", phone: "+79164444444");
        await router.RunOnceAsync();
        Assert.That(await router.State.Parking.CountAsync(CancellationToken.None), Is.EqualTo(1));

        await router.Engine.DeadLetterAdmin.ArchiveAsync(await router.DeadLettersAsync(), CancellationToken.None);
        await router.DrainAsync();

        Assert.That(File.Exists(router.Path("out", "platform", "o-42-v2.json")), Is.False, "the archived version is not applied");
        var next = Delivered(router, "platform", "o-42-v3");
        Assert.That((next.GetProperty("email").GetString(), next.GetProperty("phone").GetString()), Is.EqualTo(("platform@example.ru", "+79164444444")));
    }

    [Test]
    public async Task A_failed_delivery_naming_the_customer_holds_the_other_direction_until_its_replay_goes_through()
    {
        await using var router = await RouterFixture.StartAsync(Config("manual_review", entityKey: "entityKey: \"'customer:' + $.id\""));
        var afterSeed = await SeedAsync(router, "42");
        // 1C's exchange folder is unusable: a file sits where it should be.
        Directory.Move(router.Path("out", "onec"), router.Path("out", "onec-saved"));
        File.WriteAllText(router.Path("out", "onec"), "not a folder");
        FromPlatform(router, "42", 2, afterSeed, email: "platform@example.ru");
        await router.RunOnceAsync();
        var failed = (await router.DeadLettersAsync()).Single();
        Assert.That((failed.ErrorCode, failed.Endpoint, failed.EntityKey), Is.EqualTo(("retries-exhausted", "onec-out", "customer:42")));

        FromOnec(router, "42", 2, DateTimeOffset.UtcNow, email: "platform@example.ru", phone: "+79165555555");
        await router.RunOnceAsync();
        Assert.That((await router.TraceAsync("o-42-v2")).Select(e => e.Step), Does.Contain(JournalSteps.Parked));

        File.Delete(router.Path("out", "onec"));
        Directory.Move(router.Path("out", "onec-saved"), router.Path("out", "onec"));
        await router.Engine.DeadLetterAdmin.ReplayAsync([failed], dryRun: false, "test", CancellationToken.None);
        await router.DrainAsync();

        Assert.That(Delivered(router, "onec", "p-42-v2").GetProperty("email").GetString(), Is.EqualTo("platform@example.ru"));
        Assert.That(Delivered(router, "platform", "o-42-v2").GetProperty("phone").GetString(), Is.EqualTo("+79165555555"));
        Assert.That(await router.State.Parking.CountAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task A_version_identical_to_what_the_destination_was_last_sent_is_skipped()
    {
        await using var router = await RouterFixture.StartAsync(Config("manual_review", onecMessageId: false));
        var afterSeed = await SeedAsync(router, "42");
        var phoneChange = Customer("42", 2, afterSeed, phone: "+79166666666");
        router.Drop("in/onec", "first.json", phoneChange);
        await router.RunOnceAsync();
        Assert.That(Directory.GetFiles(router.Path("out", "platform")), Has.Length.EqualTo(1));

        // 1C exports the same record again under another file name: a new message, with nothing new in it.
        router.Drop("in/onec", "again.json", phoneChange);
        await router.RunOnceAsync();

        Assert.That(Directory.GetFiles(router.Path("out", "platform")), Has.Length.EqualTo(1));
        var skipped = (await router.TraceAsync("customer:42")).Where(e => e.Step == JournalSteps.Skipped).ToList();
        Assert.That(skipped.Single().Detail, Is.EqualTo("customer:42: the resolved version is what platform was last sent; nothing to deliver"));
    }

    /// <summary>The table row of <paramref name="field"/> in <c>dlq show</c>, without its indentation.</summary>
    private static string Row(string output, string field) =>
        output.Split('\n').Select(l => l.TrimEnd()).Single(l => l.Length > 6 && l[6..].StartsWith(field + " ", StringComparison.Ordinal))[4..];
}
