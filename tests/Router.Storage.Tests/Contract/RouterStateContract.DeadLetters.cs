using Router.Core.Stores;

namespace Router.Storage.Tests.Contract;

public abstract partial class RouterStateContract
{
    private static readonly DeadLetterQuery EveryStatus = new() { Statuses = [] };

    private static DeadLetter Failure(string messageId, int minute, string? endpoint = "onec-http", string route = "orders-to-1c",
        string code = "http-503", string message = "1C answered 503", string? entityKey = null, int attempts = 1) => new()
    {
        MessageId = messageId,
        CorrelationId = "corr-" + messageId,
        EntityKey = entityKey,
        MessageType = "order.created",
        Route = route,
        Stage = endpoint is null ? DeadLetterStage.Route : DeadLetterStage.Delivery,
        Endpoint = endpoint,
        ErrorKind = "transient",
        ErrorCode = code,
        ErrorMessage = message,
        Attempts = attempts,
        FirstFailedAt = At(minute),
        LastFailedAt = At(minute),
        Fingerprint = DeadLetterFingerprint.Compute(route, endpoint, code, message),
        EnvelopeJson = $$"""{"messageId":"{{messageId}}"}""",
    };

    private async Task<long> DeadLetterAsync(DeadLetter deadLetter)
    {
        await CommitAsync(c => c.DeadLetters.Add(deadLetter));
        var stored = await State.DeadLetters.ListAsync(EveryStatus, Ct);
        return stored.Single(d => d.MessageId == deadLetter.MessageId && d.Endpoint == deadLetter.Endpoint && d.Route == deadLetter.Route).Id;
    }

    private async Task<DeadLetter> GetDeadLetterAsync(long id) =>
        await State.DeadLetters.GetAsync(id, Ct) ?? throw new AssertionException($"dead letter {id} is missing");

    private Task ResolveAsync(string messageId, string route, string? endpoint) =>
        CommitAsync(c => c.ResolvedDeadLetters.Add(new DeadLetterResolution(messageId, route, endpoint)));

    private Task ClaimReplayAsync(long id, ReplayRecord replay) =>
        State.Writer.CommitAsync(new StateChanges { ReplayClaims = { new ReplayClaim(id, replay) } }, Ct);

    private async Task<IEnumerable<string>> ListedMessageIdsAsync(DeadLetterQuery query) =>
        (await State.DeadLetters.ListAsync(query, Ct)).Select(d => d.MessageId);

    [Test]
    public async Task Dead_letter_round_trips_every_field()
    {
        var failure = Failure("m-1", 0, entityKey: "order:1001", attempts: 4) with
        {
            ErrorDetails = "System.Net.Http.HttpRequestException: 503",
            LastFailedAt = At(5),
            Facts = new Dictionary<string, string> { ["httpStatus"] = "503", ["body"] = "Сервис недоступен" },
        };

        var id = await DeadLetterAsync(failure);
        var stored = await GetDeadLetterAsync(id);

        Assert.That(stored with { Facts = failure.Facts, ReplayHistory = failure.ReplayHistory }, Is.EqualTo(failure with { Id = id }));
        Assert.That(stored.Facts, Is.EquivalentTo(failure.Facts));
        Assert.That(stored.ReplayHistory, Is.Empty);
        Assert.That(stored.Status, Is.EqualTo(DeadLetterStatus.Pending));
    }

    [Test]
    public async Task Dead_letter_get_of_an_unknown_id_is_null()
    {
        Assert.That(await State.DeadLetters.GetAsync(404, Ct), Is.Null);
    }

    [Test]
    public async Task Dead_letter_failing_again_on_the_same_leg_updates_the_open_one()
    {
        var id = await DeadLetterAsync(Failure("m-1", 0, attempts: 4));

        await CommitAsync(c => c.DeadLetters.Add(Failure("m-1", 9, code: "http-500", message: "1C answered 500")));

        var all = await State.DeadLetters.ListAsync(EveryStatus, Ct);
        Assert.That(all.Select(d => d.Id), Is.EqualTo(new[] { id }));
        var updated = all[0];
        Assert.That(updated.Attempts, Is.EqualTo(5));
        Assert.That(updated.FirstFailedAt, Is.EqualTo(At(0)));
        Assert.That(updated.LastFailedAt, Is.EqualTo(At(9)));
        Assert.That(updated.ErrorCode, Is.EqualTo("http-500"));
        Assert.That(updated.ErrorMessage, Is.EqualTo("1C answered 500"));
        Assert.That(updated.Fingerprint, Is.EqualTo(DeadLetterFingerprint.Compute("orders-to-1c", "onec-http", "http-500", "1C answered 500")));
    }

    [Test]
    public async Task Dead_letter_failing_again_after_a_replay_is_pending_again_with_its_history()
    {
        var id = await DeadLetterAsync(Failure("m-1", 0));
        var replay = new ReplayRecord(At(5), "admin", "1C is back");
        await ClaimReplayAsync(id, replay);

        await CommitAsync(c => c.DeadLetters.Add(Failure("m-1", 6)));

        var reopened = await GetDeadLetterAsync(id);
        Assert.That(reopened.Status, Is.EqualTo(DeadLetterStatus.Pending));
        Assert.That(reopened.Attempts, Is.EqualTo(2));
        Assert.That(reopened.ReplayHistory, Is.EqualTo(new[] { replay }));
    }

    [Test]
    public async Task Dead_letters_of_one_message_on_different_legs_are_separate()
    {
        await CommitAsync(c =>
        {
            c.DeadLetters.Add(Failure("m-1", 0, endpoint: "onec-http"));
            c.DeadLetters.Add(Failure("m-1", 0, endpoint: "sms"));
            c.DeadLetters.Add(Failure("m-1", 0, endpoint: null));
        });

        var all = await State.DeadLetters.ListAsync(EveryStatus, Ct);

        Assert.That(all.Select(d => (d.Stage, d.Endpoint)), Is.EquivalentTo(new (DeadLetterStage, string?)[]
        {
            (DeadLetterStage.Delivery, "onec-http"), (DeadLetterStage.Delivery, "sms"), (DeadLetterStage.Route, null),
        }));
    }

    [Test]
    public async Task Dead_letter_failing_again_after_it_was_resolved_is_a_new_one()
    {
        var first = await DeadLetterAsync(Failure("m-1", 0));
        await ResolveAsync("m-1", "orders-to-1c", "onec-http");

        await CommitAsync(c => c.DeadLetters.Add(Failure("m-1", 9)));

        var all = await State.DeadLetters.ListAsync(EveryStatus, Ct);
        Assert.That(all, Has.Count.EqualTo(2));
        Assert.That(all.Single(d => d.Id == first).Status, Is.EqualTo(DeadLetterStatus.Resolved));
        Assert.That(all.Single(d => d.Id != first).Status, Is.EqualTo(DeadLetterStatus.Pending));
    }

    [Test]
    public async Task Dead_letter_resolution_names_its_leg()
    {
        var routeStage = await DeadLetterAsync(Failure("m-1", 0, endpoint: null));
        var delivery = await DeadLetterAsync(Failure("m-1", 1, endpoint: "onec-http"));

        await ResolveAsync("m-1", "orders-to-1c", null);

        Assert.That((await GetDeadLetterAsync(routeStage)).Status, Is.EqualTo(DeadLetterStatus.Resolved));
        Assert.That((await GetDeadLetterAsync(delivery)).Status, Is.EqualTo(DeadLetterStatus.Pending));

        await ResolveAsync("m-1", "orders-to-1c", "onec-http");

        Assert.That((await GetDeadLetterAsync(delivery)).Status, Is.EqualTo(DeadLetterStatus.Resolved));
    }

    [Test]
    public async Task Dead_letter_list_is_newest_first_and_pending_only_by_default()
    {
        await DeadLetterAsync(Failure("m-old", 0));
        await DeadLetterAsync(Failure("m-new", 20));
        await DeadLetterAsync(Failure("m-mid", 10));
        var archived = await DeadLetterAsync(Failure("m-archived", 30));
        await State.DeadLetters.ArchiveAsync([archived], Ct);

        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery()), Is.EqualTo(new[] { "m-new", "m-mid", "m-old" }));
        Assert.That(await ListedMessageIdsAsync(EveryStatus), Is.EqualTo(new[] { "m-archived", "m-new", "m-mid", "m-old" }));
        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { Statuses = [DeadLetterStatus.Archived] }), Is.EqualTo(new[] { "m-archived" }));
    }

    [Test]
    public async Task Dead_letter_list_filters_by_route_and_endpoint()
    {
        await DeadLetterAsync(Failure("m-1", 0, endpoint: "onec-http"));
        await DeadLetterAsync(Failure("m-2", 1, endpoint: "sms"));
        await DeadLetterAsync(Failure("m-3", 2, endpoint: "onec-http", route: "payments"));

        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { Route = "orders-to-1c" }), Is.EqualTo(new[] { "m-2", "m-1" }));
        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { Endpoint = "onec-http" }), Is.EqualTo(new[] { "m-3", "m-1" }));
        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { Route = "orders-to-1c", Endpoint = "onec-http" }), Is.EqualTo(new[] { "m-1" }));
    }

    [Test]
    public async Task Dead_letter_list_filters_by_error_text_in_code_or_message_ignoring_case()
    {
        await DeadLetterAsync(Failure("m-1", 0, code: "http-503", message: "Service Unavailable"));
        await DeadLetterAsync(Failure("m-2", 1, code: "schema-violation", message: "total is missing"));

        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { ErrorText = "UNAVAILABLE" }), Is.EqualTo(new[] { "m-1" }));
        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { ErrorText = "Schema" }), Is.EqualTo(new[] { "m-2" }));
        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { ErrorText = "no such text" }), Is.Empty);
    }

    [Test]
    public async Task Dead_letter_error_text_filter_ignores_case_in_russian_text()
    {
        await DeadLetterAsync(Failure("m-1", 0, code: "http-422", message: "Номенклатура не найдена"));
        await DeadLetterAsync(Failure("m-2", 1, code: "http-422", message: "Контрагент заблокирован"));

        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { ErrorText = "НОМЕНКЛАТУРА" }), Is.EqualTo(new[] { "m-1" }));
    }

    [Test]
    public async Task Dead_letter_list_filters_by_time_ids_and_limit()
    {
        var first = await DeadLetterAsync(Failure("m-1", 0));
        await DeadLetterAsync(Failure("m-2", 10));
        var third = await DeadLetterAsync(Failure("m-3", 20));

        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { Since = At(10) }), Is.EqualTo(new[] { "m-3", "m-2" }));
        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { Ids = [first, third] }), Is.EqualTo(new[] { "m-3", "m-1" }));
        Assert.That(await ListedMessageIdsAsync(new DeadLetterQuery { Limit = 2 }), Is.EqualTo(new[] { "m-3", "m-2" }));
    }

    [Test]
    public async Task Dead_letters_group_by_fingerprint()
    {
        await DeadLetterAsync(Failure("m-1", 0, message: "order 1001 rejected", code: "http-422"));
        await DeadLetterAsync(Failure("m-2", 5, message: "order 1002 rejected", code: "http-422"));
        await DeadLetterAsync(Failure("m-3", 9, message: "order 1003 rejected", code: "http-422"));
        await DeadLetterAsync(Failure("m-4", 3, message: "1C answered 503"));

        var groups = await State.DeadLetters.GroupAsync(new DeadLetterQuery(), Ct);

        Assert.That(groups, Has.Count.EqualTo(2));
        var rejected = groups.Single(g => g.ErrorCode == "http-422");
        Assert.That(rejected.Fingerprint, Is.EqualTo(DeadLetterFingerprint.Compute("orders-to-1c", "onec-http", "http-422", "order 1 rejected")));
        Assert.That(rejected.Count, Is.EqualTo(3));
        Assert.That(rejected.FirstFailedAt, Is.EqualTo(At(0)));
        Assert.That(rejected.LastFailedAt, Is.EqualTo(At(9)));
        Assert.That(rejected.Route, Is.EqualTo("orders-to-1c"));
        Assert.That(rejected.Endpoint, Is.EqualTo("onec-http"));
        Assert.That(rejected.SampleMessage, Does.Match(@"^order 100\d rejected$"));
        Assert.That(groups.Single(g => g.ErrorCode == "http-503").Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Dead_letter_groups_honour_the_query()
    {
        await DeadLetterAsync(Failure("m-1", 0, message: "order 1001 rejected", code: "http-422"));
        var archived = await DeadLetterAsync(Failure("m-2", 5, message: "order 1002 rejected", code: "http-422"));
        await DeadLetterAsync(Failure("m-3", 9, message: "1C answered 503"));
        await State.DeadLetters.ArchiveAsync([archived], Ct);

        var groups = await State.DeadLetters.GroupAsync(new DeadLetterQuery { ErrorText = "rejected" }, Ct);

        Assert.That(groups.Select(g => (g.ErrorCode, g.Count)), Is.EqualTo(new[] { ("http-422", 1) }));
    }

    [Test]
    public async Task Dead_letter_replay_claim_marks_a_pending_one_replayed_with_the_record()
    {
        var id = await DeadLetterAsync(Failure("m-1", 0));
        var replay = new ReplayRecord(At(5), "admin", null);

        await ClaimReplayAsync(id, replay);

        var replayed = await GetDeadLetterAsync(id);
        Assert.That(replayed.Status, Is.EqualTo(DeadLetterStatus.Replayed));
        Assert.That(replayed.ReplayHistory, Is.EqualTo(new[] { replay }));
    }

    [Test]
    public async Task Dead_letter_second_replay_claim_is_lost_and_changes_nothing()
    {
        var id = await DeadLetterAsync(Failure("m-1", 0));
        var replay = new ReplayRecord(At(5), "admin", null);
        await ClaimReplayAsync(id, replay);

        var lost = Assert.ThrowsAsync<ReplayClaimLostException>(() => ClaimReplayAsync(id, replay with { By = "other-admin" }));

        Assert.That(lost!.DeadLetterId, Is.EqualTo(id));
        var replayed = await GetDeadLetterAsync(id);
        Assert.That(replayed.Status, Is.EqualTo(DeadLetterStatus.Replayed));
        Assert.That(replayed.ReplayHistory, Is.EqualTo(new[] { replay }));
    }

    [Test]
    public void Dead_letter_replay_claim_of_an_unknown_id_is_lost()
    {
        var lost = Assert.ThrowsAsync<ReplayClaimLostException>(() => ClaimReplayAsync(404, new ReplayRecord(At(0), "admin", null)));

        Assert.That(lost!.DeadLetterId, Is.EqualTo(404));
    }

    [Test]
    public async Task Dead_letter_replay_claims_racing_each_other_succeed_exactly_once()
    {
        var id = await DeadLetterAsync(Failure("m-1", 0));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await ClaimReplayAsync(id, new ReplayRecord(At(5), $"admin-{i}", null));
                return true;
            }
            catch (ReplayClaimLostException)
            {
                return false;
            }
        })));

        Assert.That(outcomes.Count(claimed => claimed), Is.EqualTo(1));
        Assert.That((await GetDeadLetterAsync(id)).ReplayHistory, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Dead_letter_replay_claim_that_is_lost_rolls_back_the_rest_of_its_changes()
    {
        var id = await DeadLetterAsync(Failure("m-1", 0));
        StateChanges Replay(int minute, string by) => new()
        {
            ReplayClaims = { new ReplayClaim(id, new ReplayRecord(At(minute), by, null)) },
            Journal = { new JournalEntry { At = At(minute), MessageId = "m-1", Step = JournalSteps.Replayed, Detail = by } },
        };
        await State.Writer.CommitAsync(Replay(5, "admin"), Ct);

        Assert.ThrowsAsync<ReplayClaimLostException>(() => State.Writer.CommitAsync(Replay(6, "other-admin"), Ct));

        Assert.That((await State.Journal.TraceAsync("m-1", 10, Ct)).Select(e => e.Detail), Is.EqualTo(new[] { "admin" }));
        Assert.That((await GetDeadLetterAsync(id)).ReplayHistory.Select(r => r.By), Is.EqualTo(new[] { "admin" }));
    }

    [Test]
    public async Task Dead_letter_failing_again_after_a_replay_can_be_claimed_again()
    {
        var id = await DeadLetterAsync(Failure("m-1", 0));
        var first = new ReplayRecord(At(5), "admin", "first try");
        await ClaimReplayAsync(id, first);
        await CommitAsync(c => c.DeadLetters.Add(Failure("m-1", 6)));
        Assert.That((await GetDeadLetterAsync(id)).Status, Is.EqualTo(DeadLetterStatus.Pending));

        var second = new ReplayRecord(At(7), "admin", "second try");
        await ClaimReplayAsync(id, second);

        var replayed = await GetDeadLetterAsync(id);
        Assert.That(replayed.Status, Is.EqualTo(DeadLetterStatus.Replayed));
        Assert.That(replayed.ReplayHistory, Is.EqualTo(new[] { first, second }));
    }

    [Test]
    public async Task Dead_letter_archive_counts_only_what_it_changed()
    {
        var pending = await DeadLetterAsync(Failure("m-1", 0));
        var replayed = await DeadLetterAsync(Failure("m-2", 1));
        var untouched = await DeadLetterAsync(Failure("m-3", 2));
        await ClaimReplayAsync(replayed, new ReplayRecord(At(5), "admin", null));

        Assert.That(await State.DeadLetters.ArchiveAsync([pending, replayed, 404], Ct), Is.EqualTo(2));
        Assert.That(await State.DeadLetters.ArchiveAsync([pending], Ct), Is.EqualTo(0));
        Assert.That((await GetDeadLetterAsync(pending)).Status, Is.EqualTo(DeadLetterStatus.Archived));
        Assert.That((await GetDeadLetterAsync(replayed)).Status, Is.EqualTo(DeadLetterStatus.Archived));
        Assert.That((await GetDeadLetterAsync(untouched)).Status, Is.EqualTo(DeadLetterStatus.Pending));
    }

    [Test]
    public async Task Dead_letter_blocks_its_entity_while_pending_or_replayed()
    {
        var id = await DeadLetterAsync(Failure("m-1", 0, entityKey: "order:1001"));
        Assert.That(await State.DeadLetters.HasOpenForEntityAsync("orders-to-1c", "order:1001", Ct), Is.True, "pending");
        Assert.That(await State.DeadLetters.HasOpenForEntityAsync("orders-to-1c", "order:2002", Ct), Is.False, "another entity");
        Assert.That(await State.DeadLetters.HasOpenForEntityAsync("payments", "order:1001", Ct), Is.False, "another route");

        await ClaimReplayAsync(id, new ReplayRecord(At(5), "admin", null));
        Assert.That(await State.DeadLetters.HasOpenForEntityAsync("orders-to-1c", "order:1001", Ct), Is.True, "replayed");

        await ResolveAsync("m-1", "orders-to-1c", "onec-http");
        Assert.That(await State.DeadLetters.HasOpenForEntityAsync("orders-to-1c", "order:1001", Ct), Is.False, "resolved");
    }

    [Test]
    public async Task Dead_letter_archived_no_longer_blocks_its_entity()
    {
        var id = await DeadLetterAsync(Failure("m-1", 0, entityKey: "order:1001"));

        await State.DeadLetters.ArchiveAsync([id], Ct);

        Assert.That(await State.DeadLetters.HasOpenForEntityAsync("orders-to-1c", "order:1001", Ct), Is.False);
    }

    [Test]
    public async Task The_dead_letter_being_resolved_does_not_count_but_another_leg_of_the_same_message_does()
    {
        await DeadLetterAsync(Failure("m-1", 0, endpoint: "onec-http", entityKey: "order:1001"));
        var resolving = new DeadLetterResolution("m-1", "orders-to-1c", "onec-http");
        Assert.That(await State.DeadLetters.HasOpenForEntityAsync("orders-to-1c", "order:1001", resolving, Ct), Is.False, "only the one being resolved");

        await DeadLetterAsync(Failure("m-1", 1, endpoint: "sms", entityKey: "order:1001"));
        Assert.That(await State.DeadLetters.HasOpenForEntityAsync("orders-to-1c", "order:1001", resolving, Ct), Is.True, "the sms leg still holds it");
        Assert.That(await State.DeadLetters.HasOpenForEntityAsync("orders-to-1c", "order:1001", new DeadLetterResolution("m-1", "orders-to-1c", null), Ct),
            Is.True, "the route stage is another leg");
    }
}
