using Router.Core.Conflicts;

namespace Router.Core.Tests.Conflicts;

/// <summary>
/// Each strategy on the same clash: seeded by the platform, then the platform changes e-mail, phone and ИНН at T+5m
/// (sent to 1C at T+10m) while 1C, on its older copy, changes the same three at <see cref="OnecChangedAt"/>; 1C's
/// version arrives last.
/// </summary>
public sealed class ConflictStrategyTests
{
    private static readonly DateTimeOffset T = TwoWaySync.Start;

    private static readonly DateTimeOffset PlatformChangedAt = T.AddMinutes(5);

    private static readonly DateTimeOffset OnecChangedAt = T.AddMinutes(7);

    private static object Customer(string email, string phone, string inn) => new { id = "42", email, phone, inn, name = "Иван Петров" };

    private static TwoWaySync.Outcome Clash(ConflictStrategy strategy, DateTimeOffset onecChangedAt, ConflictChoices? choices = null,
        bool onlyPhone = false)
    {
        var sync = new TwoWaySync(strategy);
        sync.Receive(SyncSide.Platform, Customer("old@x.ru", "+79160000000", "7707083893"), T.AddHours(-1));
        sync.Advance(TimeSpan.FromMinutes(10));
        var platform = sync.Receive(SyncSide.Platform, onlyPhone
            ? Customer("old@x.ru", "+79161111111", "7707083893")
            : Customer("platform@x.ru", "+79161111111", "7707083894"), PlatformChangedAt);
        Assert.That(platform.Resolution.NeedsReview, Is.False);
        sync.Advance(TimeSpan.FromMinutes(10));
        return sync.Receive(SyncSide.Onec, onlyPhone
            ? Customer("old@x.ru", "+79162222222", "7707083893")
            : Customer("onec@x.ru", "+79162222222", "500100732259"), onecChangedAt, choices);
    }

    [Test]
    public void Platform_wins_gives_a_1c_message_the_platforms_values_on_conflicting_fields()
    {
        var outcome = Clash(ConflictStrategy.PlatformWins, OnecChangedAt);

        Assert.That(outcome.Conflicts, Is.EquivalentTo(new[] { "email", "phone", "inn" }));
        Assert.That(outcome.Resolution.NeedsReview, Is.False);
        Assert.That(outcome.DeliveredValue("email"), Is.EqualTo("platform@x.ru"));
        Assert.That(outcome.DeliveredValue("inn"), Is.EqualTo("7707083894"));
        Assert.That(outcome.Resolution.Decisions.Select(d => (d.Field, d.Winner, d.Reason)),
            Has.Member(("email", SyncSide.Platform, "platform_wins")));
    }

    [Test]
    public void Onec_wins_takes_1cs_values()
    {
        var outcome = Clash(ConflictStrategy.OnecWins, OnecChangedAt);

        Assert.That(outcome.Resolution.NeedsReview, Is.False);
        Assert.That((outcome.DeliveredValue("email"), outcome.DeliveredValue("phone"), outcome.DeliveredValue("inn")),
            Is.EqualTo(("onec@x.ru", "+79162222222", "500100732259")));
    }

    [Test]
    public void Manual_review_leaves_every_conflict_to_a_person()
    {
        var outcome = Clash(ConflictStrategy.ManualReview, OnecChangedAt);

        Assert.That(outcome.Resolution.Unresolved.Select(f => f.Name), Is.EquivalentTo(new[] { "email", "phone", "inn" }));
        Assert.That(outcome.Delivered, Is.Null);
    }

    [Test]
    public void Merge_smart_leaves_critical_fields_to_a_person()
    {
        var outcome = Clash(ConflictStrategy.MergeSmart, OnecChangedAt);

        Assert.That(outcome.Resolution.Unresolved.Select(f => f.Name), Is.EquivalentTo(new[] { "email", "inn" }));
    }

    [TestCase(7, "+79162222222", SyncSide.Onec)]
    [TestCase(3, "+79161111111", SyncSide.Platform)]
    public void Merge_smart_settles_a_warning_field_by_the_most_recent_change(int onecMinute, string expectedPhone, SyncSide winner)
    {
        var outcome = Clash(ConflictStrategy.MergeSmart, T.AddMinutes(onecMinute), onlyPhone: true);

        Assert.That(outcome.Conflicts, Is.EqualTo(new[] { "phone" }));
        Assert.That(outcome.Resolution.NeedsReview, Is.False);
        Assert.That(outcome.DeliveredValue("phone"), Is.EqualTo(expectedPhone));
        Assert.That(outcome.Resolution.Decisions.Single().Winner, Is.EqualTo(winner));
    }

    [Test]
    public void A_persons_choices_settle_every_conflict_field_by_field()
    {
        var choices = new ConflictChoices { Take = SyncSide.Onec, Fields = new Dictionary<string, SyncSide> { ["inn"] = SyncSide.Platform } };

        var outcome = Clash(ConflictStrategy.ManualReview, OnecChangedAt, choices);

        Assert.That(outcome.Resolution.NeedsReview, Is.False);
        Assert.That((outcome.DeliveredValue("email"), outcome.DeliveredValue("phone"), outcome.DeliveredValue("inn")),
            Is.EqualTo(("onec@x.ru", "+79162222222", "7707083894")));
        Assert.That(outcome.Resolution.Decisions.Select(d => d.Reason).Distinct(), Is.EqualTo(new[] { "chosen at replay" }));
    }

    [Test]
    public void Choices_cover_what_the_strategy_leaves_and_the_report_says_which_fields_need_one()
    {
        var review = Clash(ConflictStrategy.MergeSmart, OnecChangedAt);
        var report = ConflictReport.For(new ConflictPolicy { Side = SyncSide.Onec, Strategy = ConflictStrategy.MergeSmart },
            [ConflictCase.From("42", "customer:42", "m-3", review.Detection, ConflictStrategy.MergeSmart)]);

        Assert.That(report.FieldsNeedingChoice, Is.EquivalentTo(new[] { "email", "inn" }));
        Assert.That(report.Cases[0].Fields.Single(f => f.Field == "phone").Suggested, Is.EqualTo("onec"), "the most recent change");
        Assert.That(ConflictChoices.Missing(report, new ConflictChoices { Fields = new Dictionary<string, SyncSide> { ["email"] = SyncSide.Onec } }),
            Is.EqualTo(new[] { "inn" }));
        Assert.That(ConflictChoices.Missing(report, new ConflictChoices { Take = SyncSide.Platform }), Is.Empty);
        var row = report.Cases[0].Fields.Single(f => f.Field == "email");
        Assert.That((row.Base?.GetString(), row.Platform?.GetString(), row.Onec?.GetString(), row.Conflicting),
            Is.EqualTo(("old@x.ru", "platform@x.ru", "onec@x.ru", true)));
    }

    [Test]
    public void A_losing_side_that_sends_its_old_value_again_does_not_reopen_a_settled_conflict()
    {
        var sync = new TwoWaySync(ConflictStrategy.PlatformWins);
        sync.Receive(SyncSide.Platform, Customer("old@x.ru", "+79160000000", "7707083893"), T.AddHours(-1));
        sync.Advance(TimeSpan.FromMinutes(10));
        sync.Receive(SyncSide.Platform, Customer("platform@x.ru", "+79160000000", "7707083893"), PlatformChangedAt);
        sync.Advance(TimeSpan.FromMinutes(10));
        var lost = sync.Receive(SyncSide.Onec, Customer("onec@x.ru", "+79160000000", "7707083893"), OnecChangedAt);
        Assert.That(lost.DeliveredValue("email"), Is.EqualTo("platform@x.ru"));
        sync.Advance(TimeSpan.FromMinutes(10));

        // A minute later, before the platform's version reached it, 1C changed the phone too, still holding its own e-mail.
        var later = sync.Receive(SyncSide.Onec, Customer("onec@x.ru", "+79163333333", "7707083893"), OnecChangedAt.AddMinutes(1));

        Assert.That(later.Conflicts, Is.Empty);
        Assert.That((later.DeliveredValue("email"), later.DeliveredValue("phone")), Is.EqualTo(("platform@x.ru", "+79163333333")));
    }

    [Test]
    public void Choices_travel_as_a_header_and_back()
    {
        var choices = new ConflictChoices { Take = SyncSide.Onec, Fields = new Dictionary<string, SyncSide> { ["email"] = SyncSide.Platform } };

        var back = ConflictChoices.FromHeader(choices.ToHeader())!;

        Assert.That((back.Take, back.For("email"), back.For("inn")), Is.EqualTo((SyncSide.Onec, SyncSide.Platform, SyncSide.Onec)));
        Assert.That(back.ToString(), Is.EqualTo("take onec; email=platform"));
        Assert.That(ConflictChoices.FromHeader(null), Is.Null);
    }
}
