using Router.Core.Conflicts;

namespace Router.Core.Tests.Conflicts;

/// <summary>
/// Three-way detection as a sequence of messages: the platform (P) and 1C (O) edit one customer; "sent" is the
/// router delivering the resolved version to the other side. Times: u = the side's updatedAt, the router's clock advances.
/// </summary>
public sealed class ConflictDetectionTests
{
    private static readonly DateTimeOffset T = TwoWaySync.Start;

    private static object Customer(string email = "ivan@example.ru", string phone = "+79161234567", string inn = "7707083893", string name = "Иван Петров") =>
        new { id = "42", email, phone, inn, name };

    /// <summary>The platform created the customer at T-1h; the router sent it to 1C at T.</summary>
    private static TwoWaySync Seeded(ConflictStrategy strategy = ConflictStrategy.ManualReview)
    {
        var sync = new TwoWaySync(strategy);
        var first = sync.Receive(SyncSide.Platform, Customer(), T.AddHours(-1));
        Assert.That(first.Detection.FirstSight, Is.True);
        Assert.That(first.Conflicts, Is.Empty);
        return sync;
    }

    [Test]
    public void A_change_on_one_side_is_no_conflict_and_goes_through()
    {
        var sync = Seeded();
        sync.Advance(TimeSpan.FromMinutes(10));

        var outcome = sync.Receive(SyncSide.Onec, Customer(phone: "+79990001122"), T.AddMinutes(5));

        Assert.That(outcome.Conflicts, Is.Empty);
        Assert.That(outcome.DeliveredValue("phone"), Is.EqualTo("+79990001122"));
    }

    [Test]
    public void Both_sides_changing_a_field_to_different_values_while_the_first_change_was_on_its_way_is_a_conflict()
    {
        var sync = Seeded();
        // The platform changes the e-mail at T+5m; the router sends it to 1C at T+10m.
        sync.Advance(TimeSpan.FromMinutes(10));
        var platform = sync.Receive(SyncSide.Platform, Customer(email: "ivan@new.ru"), T.AddMinutes(5));
        Assert.That(platform.Conflicts, Is.Empty, "nothing had changed in 1C yet");
        // 1C's user changed it at T+7m, before the platform's version reached 1C: it arrives later.
        sync.Advance(TimeSpan.FromMinutes(10));

        var onec = sync.Receive(SyncSide.Onec, Customer(email: "ivan@corp.ru"), T.AddMinutes(7));

        Assert.That(onec.Conflicts, Is.EqualTo(new[] { "email" }));
        var email = onec.Detection.Fields.Single(f => f.Name == "email");
        Assert.That((email.Base?.GetString(), email.Incoming?.GetString(), email.Other?.GetString()),
            Is.EqualTo(("ivan@example.ru", "ivan@corp.ru", "ivan@new.ru")));
        Assert.That(onec.Resolution.NeedsReview, Is.True);
    }

    [Test]
    public void An_edit_made_after_the_other_sides_version_arrived_is_a_new_change_not_a_conflict()
    {
        var sync = Seeded();
        sync.Advance(TimeSpan.FromMinutes(10));
        sync.Receive(SyncSide.Platform, Customer(email: "ivan@new.ru"), T.AddMinutes(5));
        sync.Advance(TimeSpan.FromMinutes(10));

        // Changed in 1C at T+15m: after the router sent the platform's version to 1C (T+10m).
        var onec = sync.Receive(SyncSide.Onec, Customer(email: "ivan@corp.ru"), T.AddMinutes(15));

        Assert.That(onec.Conflicts, Is.Empty);
        Assert.That(onec.DeliveredValue("email"), Is.EqualTo("ivan@corp.ru"));
    }

    [Test]
    public void Both_sides_making_the_same_change_is_no_conflict()
    {
        var sync = Seeded();
        sync.Advance(TimeSpan.FromMinutes(10));
        sync.Receive(SyncSide.Platform, Customer(email: "ivan@new.ru"), T.AddMinutes(5));
        sync.Advance(TimeSpan.FromMinutes(10));

        var onec = sync.Receive(SyncSide.Onec, Customer(email: " IVAN@new.ru"), T.AddMinutes(7));

        Assert.That(onec.Conflicts, Is.Empty);
    }

    [Test]
    public void A_stale_copy_from_one_side_does_not_undo_the_other_sides_change()
    {
        var sync = Seeded();
        sync.Advance(TimeSpan.FromMinutes(10));
        sync.Receive(SyncSide.Platform, Customer(email: "ivan@new.ru"), T.AddMinutes(5));
        sync.Advance(TimeSpan.FromMinutes(10));

        // 1C changed only the phone, on its copy from before the platform's e-mail arrived.
        var onec = sync.Receive(SyncSide.Onec, Customer(phone: "+79990001122"), T.AddMinutes(7));

        Assert.That(onec.Conflicts, Is.Empty);
        Assert.That(onec.DeliveredValue("phone"), Is.EqualTo("+79990001122"));
        Assert.That(onec.DeliveredValue("email"), Is.EqualTo("ivan@new.ru"), "the platform keeps its e-mail");
    }

    [Test]
    public void Without_updated_at_the_base_is_the_sides_own_last_version_so_doubt_becomes_a_conflict_not_a_loss()
    {
        var sync = Seeded();
        sync.Advance(TimeSpan.FromMinutes(10));
        sync.Receive(SyncSide.Onec, Customer(name: "Иван П."), updatedAt: null);
        sync.Advance(TimeSpan.FromMinutes(10));
        sync.Receive(SyncSide.Platform, Customer(name: "Иван П.", email: "ivan@new.ru"), T.AddMinutes(15));
        sync.Advance(TimeSpan.FromMinutes(10));

        // Did 1C see the platform's e-mail before changing it? Without a time the router cannot tell.
        var onec = sync.Receive(SyncSide.Onec, Customer(name: "Иван П.", email: "ivan@corp.ru"), updatedAt: null);

        Assert.That(onec.Conflicts, Is.EqualTo(new[] { "email" }));
    }

    [Test]
    public void An_echo_of_the_agreed_version_changes_nothing()
    {
        var sync = Seeded();
        sync.Advance(TimeSpan.FromMinutes(10));
        sync.Receive(SyncSide.Platform, Customer(email: "ivan@new.ru"), T.AddMinutes(5));
        sync.Advance(TimeSpan.FromMinutes(10));

        var echo = sync.Receive(SyncSide.Onec, Customer(email: "ivan@new.ru"), T.AddMinutes(12));

        Assert.That(echo.Conflicts, Is.Empty);
        Assert.That(echo.Detection.Fields.Where(f => f.IncomingChanged), Is.Empty);
    }

    [Test]
    public void The_ancestor_is_the_latest_version_of_the_side_not_newer_than_its_change()
    {
        var state = new SyncState()
            .WithHistory(SyncSide.Onec, Version(SideVersionKind.Sent, "a@x.ru", recordedAt: T))
            .WithHistory(SyncSide.Onec, Version(SideVersionKind.Seen, "b@x.ru", recordedAt: T.AddMinutes(20), updatedAt: T.AddMinutes(15)))
            .WithHistory(SyncSide.Onec, Version(SideVersionKind.Sent, "c@x.ru", recordedAt: T.AddMinutes(30)));

        string? AncestorEmail(DateTimeOffset? madeAt) =>
            ConflictDetector.Ancestor(state, new IncomingVersion(SyncSide.Onec, "m", new Dictionary<string, System.Text.Json.JsonElement>(), madeAt))!
                .Fields["email"].GetString();

        Assert.That(AncestorEmail(T.AddMinutes(10)), Is.EqualTo("a@x.ru"));
        Assert.That(AncestorEmail(T.AddMinutes(25)), Is.EqualTo("b@x.ru"), "a seen version counts from when the side changed it");
        Assert.That(AncestorEmail(T.AddMinutes(40)), Is.EqualTo("c@x.ru"));
        Assert.That(AncestorEmail(T.AddMinutes(-5)), Is.EqualTo("a@x.ru"), "older than everything kept: the oldest");
        Assert.That(AncestorEmail(null), Is.EqualTo("b@x.ru"), "no time: the side's own last version");
    }

    [Test]
    public void History_keeps_the_latest_versions_only()
    {
        var state = new SyncState();
        for (var i = 0; i < SyncState.HistoryLength + 3; i++)
        {
            state = state.WithHistory(SyncSide.Platform, Version(SideVersionKind.Seen, $"{i}@x.ru", T.AddMinutes(i)));
        }

        Assert.That(state.Platform, Has.Count.EqualTo(SyncState.HistoryLength));
        Assert.That(state.Platform[^1].Fields["email"].GetString(), Is.EqualTo($"{SyncState.HistoryLength + 2}@x.ru"));
        Assert.That(state.Onec, Is.Empty);
    }

    private static SideVersion Version(SideVersionKind kind, string email, DateTimeOffset recordedAt, DateTimeOffset? updatedAt = null) => new()
    {
        Kind = kind,
        Fields = new Dictionary<string, System.Text.Json.JsonElement> { ["email"] = Router.Core.Messages.RouterJson.ToElement(email) },
        RecordedAt = recordedAt,
        UpdatedAt = updatedAt,
    };
}
