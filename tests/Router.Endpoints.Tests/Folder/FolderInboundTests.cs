using System.IO.Abstractions.TestingHelpers;
using System.Text;
using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Endpoints.Folder;
using Router.Endpoints.Tests.Support;

namespace Router.Endpoints.Tests.Folder;

public sealed class FolderInboundTests
{
    private const string Inbox = "/router/inbox";
    private const string Processed = "/router/inbox/processed";
    private const string Failed = "/router/inbox/failed";

    private MockFileSystem files = null!;
    private RecordingSink sink = null!;

    [SetUp]
    public void SetUp()
    {
        files = new MockFileSystem();
        files.AddDirectory(Inbox);
        sink = new RecordingSink();
    }

    [Test]
    public async Task A_stable_file_is_taken_on_the_second_look_and_moved_to_processed()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        var endpoint = Endpoint();

        var first = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(first, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(sink.Batches, Is.Empty);
        Assert.That(files.FileExists($"{Inbox}/order-1.json"), Is.True);

        var second = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(second, Is.EqualTo(new PollResult(1, 0, 0, 0)));
        Assert.That(sink.Messages.Single().Payload.GetProperty("number").GetString(), Is.EqualTo("1001"));
        Assert.That(files.FileExists($"{Inbox}/order-1.json"), Is.False);
        Assert.That(files.File.ReadAllText($"{Processed}/order-1.json"), Is.EqualTo("""{ "number": "1001" }"""));
    }

    [Test]
    public async Task A_file_that_grows_between_looks_waits_until_it_stops_changing()
    {
        Drop("order-1.json", """{ "number": """);
        var endpoint = Endpoint();
        await endpoint.PollAsync(sink, null, CancellationToken.None);

        files.File.AppendAllText($"{Inbox}/order-1.json", "\"1001\" }");
        var whileGrowing = await endpoint.PollAsync(sink, null, CancellationToken.None);
        var afterwards = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(whileGrowing, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(afterwards, Is.EqualTo(new PollResult(1, 0, 0, 0)));
        Assert.That(sink.Messages.Single().Payload.GetProperty("number").GetString(), Is.EqualTo("1001"));
    }

    [Test]
    public async Task A_new_modification_time_with_the_same_size_counts_as_a_change()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        var endpoint = Endpoint();
        await endpoint.PollAsync(sink, null, CancellationToken.None);

        files.File.SetLastWriteTimeUtc($"{Inbox}/order-1.json", new DateTime(2031, 5, 1, 0, 0, 0, DateTimeKind.Utc));
        var result = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new PollResult(0, 0, 0, 1)));
    }

    [Test]
    public async Task With_settle_one_poll_makes_both_looks()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        var clock = new PauseHookClock();
        var endpoint = Endpoint(clock);

        var result = await endpoint.PollAsync(sink, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.That(result, Is.EqualTo(new PollResult(1, 0, 0, 0)));
        Assert.That(clock.Pauses, Is.EqualTo(new[] { TimeSpan.FromSeconds(2) }));
        Assert.That(files.FileExists($"{Processed}/order-1.json"), Is.True);
    }

    [Test]
    public async Task With_settle_a_file_written_to_during_the_pause_is_left_for_later()
    {
        Drop("order-1.json", """{ "number": """);
        var clock = new PauseHookClock(() => files.File.AppendAllText($"{Inbox}/order-1.json", "\"1001\" }"));
        var endpoint = Endpoint(clock);

        var result = await endpoint.PollAsync(sink, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.That(result, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(sink.Batches, Is.Empty);
        Assert.That(files.FileExists($"{Inbox}/order-1.json"), Is.True);
    }

    [Test]
    public async Task With_settle_no_pause_is_made_when_every_file_was_already_seen_unchanged()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        var clock = new PauseHookClock();
        var endpoint = Endpoint(clock);
        await endpoint.PollAsync(sink, null, CancellationToken.None);

        var result = await endpoint.PollAsync(sink, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(clock.Pauses, Is.Empty);
    }

    [Test]
    public async Task In_marker_mode_a_file_is_taken_once_its_marker_exists_and_the_marker_is_removed()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        var endpoint = Endpoint(null, ("complete", "marker"), ("pattern", "*"));

        var withoutMarker = await endpoint.PollAsync(sink, null, CancellationToken.None);
        var stillWithoutMarker = await endpoint.PollAsync(sink, null, CancellationToken.None);
        Drop("order-1.json.done", "");
        var withMarker = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(withoutMarker, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(stillWithoutMarker, Is.EqualTo(new PollResult(0, 0, 0, 1)));
        Assert.That(withMarker, Is.EqualTo(new PollResult(1, 0, 0, 0)));
        Assert.That(sink.Messages.Select(m => m.Headers["file-name"]), Is.EqualTo(new[] { "order-1.json" }));
        Assert.That(files.FileExists($"{Inbox}/order-1.json.done"), Is.False);
        Assert.That(files.FileExists($"{Processed}/order-1.json"), Is.True);
    }

    [Test]
    public async Task A_custom_marker_suffix_is_honoured()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        Drop("order-1.json.done", "");
        Drop("order-1.json.ready", "");
        var endpoint = Endpoint(null, ("complete", "marker"), ("markerSuffix", ".ready"), ("pattern", "*"));

        var result = await endpoint.PollAsync(sink, null, CancellationToken.None);

        // The .done file is an ordinary (malformed) candidate here, and has no .ready marker of its own.
        Assert.That(result, Is.EqualTo(new PollResult(1, 0, 0, 1)));
        Assert.That(files.FileExists($"{Inbox}/order-1.json.ready"), Is.False);
    }

    [Test]
    public async Task Files_are_handed_off_in_batches_and_moved_only_after_their_batch_is_accepted()
    {
        for (var i = 1; i <= 5; i++)
        {
            Drop($"order-{i}.json", $$"""{ "number": "{{i}}" }""", new DateTime(2030, 1, 1, 0, 0, i, DateTimeKind.Utc));
        }
        var stillInInbox = new List<bool>();
        sink.DuringHandOff = messages => stillInInbox.AddRange(messages.Select(m => files.FileExists(m.Origin)));
        var endpoint = Endpoint(null, ("batch", 2));
        await endpoint.PollAsync(sink, null, CancellationToken.None);

        var result = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new PollResult(5, 0, 0, 0)));
        Assert.That(sink.Batches.Select(b => b.Count), Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(stillInInbox, Has.Count.EqualTo(5).And.All.True);
        Assert.That(sink.Messages.Select(m => m.Headers["file-name"]), Is.EqualTo(Enumerable.Range(1, 5).Select(i => $"order-{i}.json")), "oldest first");
        Assert.That(files.Directory.GetFiles(Processed), Has.Length.EqualTo(5));
        Assert.That(files.Directory.GetFiles(Inbox), Is.Empty);
    }

    [Test]
    public async Task A_processed_file_never_overwrites_an_earlier_one_of_the_same_name()
    {
        files.AddFile($"{Processed}/order.json", new MockFileData("earlier"));
        files.AddFile($"{Processed}/order.2.json", new MockFileData("earlier too"));
        Drop("order.json", """{ "number": "1001" }""");
        var endpoint = Endpoint();

        await PollTwiceAsync(endpoint);

        Assert.That(files.File.ReadAllText($"{Processed}/order.json"), Is.EqualTo("earlier"));
        Assert.That(files.File.ReadAllText($"{Processed}/order.2.json"), Is.EqualTo("earlier too"));
        Assert.That(files.File.ReadAllText($"{Processed}/order.3.json"), Is.EqualTo("""{ "number": "1001" }"""));
    }

    [Test]
    public async Task Malformed_json_goes_to_failed_with_an_error_note_naming_line_and_byte()
    {
        Drop("bad.json", "{\n  \"number\": \"1001\",\n  oops\n}");
        var endpoint = Endpoint();

        var result = await PollTwiceAsync(endpoint);

        Assert.That(result, Is.EqualTo(new PollResult(0, 0, 1, 0)));
        Assert.That(sink.Batches, Is.Empty);
        Assert.That(files.FileExists($"{Failed}/bad.json"), Is.True);
        var note = files.File.ReadAllText($"{Failed}/bad.json.error.txt");
        Assert.That(note, Does.Contain("bad.json: malformed JSON at line 3, byte 3"));
        Assert.That(note, Does.Contain("code: malformed-input"));
        var rejection = sink.Rejections.Single();
        Assert.That(rejection.Origin, Is.EqualTo($"{Inbox}/bad.json"));
        Assert.That(rejection.MessageId, Does.StartWith("file:bad.json:"));
        Assert.That(rejection.Error, Does.Contain("line 3, byte 3"));
    }

    [Test]
    public async Task A_file_larger_than_maxFileSize_is_rejected_under_the_id_it_would_have_had()
    {
        var content = """{ "number": "1001", "comment": "long enough" }""";
        Drop("big.json", content);
        var endpoint = Endpoint(null, ("maxFileSize", "16B"));

        var result = await PollTwiceAsync(endpoint);

        Assert.That(result, Is.EqualTo(new PollResult(0, 0, 1, 0)));
        var rejection = sink.Rejections.Single();
        Assert.That(rejection.MessageId, Is.EqualTo(MessageIds.ForFile("big.json", PayloadHash.ComputeForBytes(Encoding.UTF8.GetBytes(content)))));
        Assert.That(rejection.Error, Does.Contain("larger than the limit of 16 bytes"));
        Assert.That(files.File.ReadAllText($"{Failed}/big.json.error.txt"), Does.Contain("code: too-large"));
    }

    [Test]
    public async Task Invalid_utf8_is_rejected_naming_the_byte_offset()
    {
        var bytes = Encoding.ASCII.GetBytes("""{"name":"x""").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.ASCII.GetBytes("\"}")).ToArray();
        files.AddFile($"{Inbox}/broken.json", new MockFileData(bytes));
        var endpoint = Endpoint();

        await PollTwiceAsync(endpoint);

        Assert.That(sink.Rejections.Single().Error, Is.EqualTo("broken.json: invalid utf-8 at byte offset 10"));
        Assert.That(files.FileExists($"{Failed}/broken.json"), Is.True);
    }

    [Test]
    public async Task A_utf8_byte_order_mark_is_ignored()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{ "city": "Москва" }""")).ToArray();
        files.AddFile($"{Inbox}/bom.json", new MockFileData(bytes));
        var endpoint = Endpoint();

        var result = await PollTwiceAsync(endpoint);

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(sink.Messages.Single().Payload.GetProperty("city").GetString(), Is.EqualTo("Москва"));
    }

    [Test]
    public async Task A_message_carries_the_file_name_its_path_and_an_id_from_name_and_content()
    {
        var content = """{ "number": "1001" }""";
        Drop("order-1.json", content, new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var endpoint = Endpoint();

        await PollTwiceAsync(endpoint);

        var message = sink.Messages.Single();
        Assert.That(message.FallbackMessageId, Is.EqualTo(MessageIds.ForFile("order-1.json", PayloadHash.ComputeForBytes(Encoding.UTF8.GetBytes(content)))));
        Assert.That(message.MessageId, Is.Null);
        Assert.That(message.Origin, Is.EqualTo($"{Inbox}/order-1.json"));
        Assert.That(message.Headers["file-name"], Is.EqualTo("order-1.json"));
        Assert.That(message.OccurredAt, Is.EqualTo(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero)));
    }

    [Test]
    public async Task A_file_the_router_rejects_goes_to_failed_with_the_routers_reason()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        sink.Answer = _ => new HandOffResult(HandOffStatus.Rejected, "no route accepts messages without a type");
        var endpoint = Endpoint();

        var result = await PollTwiceAsync(endpoint);

        Assert.That(result, Is.EqualTo(new PollResult(0, 0, 1, 0)));
        Assert.That(files.FileExists($"{Failed}/order-1.json"), Is.True);
        Assert.That(files.File.ReadAllText($"{Failed}/order-1.json.error.txt"), Does.Contain("error: no route accepts messages without a type"));
        Assert.That(sink.Rejections, Is.Empty, "the router journals its own rejections");
    }

    [Test]
    public async Task When_the_hand_off_fails_the_files_stay_and_the_next_poll_takes_them()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        Drop("order-2.json", """{ "number": "1002" }""");
        var endpoint = Endpoint();
        await endpoint.PollAsync(sink, null, CancellationToken.None);
        sink.HandOffFailure = new InvalidOperationException("database is down");

        Assert.That(async () => await endpoint.PollAsync(sink, null, CancellationToken.None), Throws.InvalidOperationException.With.Message.EqualTo("database is down"));

        Assert.That(files.Directory.GetFiles(Inbox).Select(Path.GetFileName), Is.EquivalentTo(new[] { "order-1.json", "order-2.json" }));
        Assert.That(files.Directory.Exists(Processed) && files.Directory.GetFiles(Processed).Length > 0, Is.False);
        Assert.That(files.Directory.Exists(Failed) && files.Directory.GetFiles(Failed).Length > 0, Is.False);

        sink.HandOffFailure = null;
        var retry = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(retry, Is.EqualTo(new PollResult(2, 0, 0, 0)));
    }

    [Test]
    public async Task A_duplicate_is_acknowledged_like_an_accepted_file()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        sink.Answer = _ => new HandOffResult(HandOffStatus.Duplicate);
        var endpoint = Endpoint();

        var result = await PollTwiceAsync(endpoint);

        Assert.That(result, Is.EqualTo(new PollResult(0, 1, 0, 0)));
        Assert.That(files.FileExists($"{Processed}/order-1.json"), Is.True);
        Assert.That(files.FileExists($"{Inbox}/order-1.json"), Is.False);
    }

    [Test]
    public async Task Processed_delete_removes_the_file_instead_of_moving_it()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        var endpoint = Endpoint(null, ("processed", "delete"));

        var result = await PollTwiceAsync(endpoint);

        Assert.That(result.Accepted, Is.EqualTo(1));
        Assert.That(files.FileExists($"{Inbox}/order-1.json"), Is.False);
        Assert.That(files.Directory.Exists(Processed), Is.False);
    }

    [Test]
    public async Task Configured_processed_and_failed_folders_are_used()
    {
        Drop("good.json", """{ "number": "1001" }""");
        Drop("bad.json", "{");
        var endpoint = Endpoint(null, ("processedPath", "archive/ok"), ("failedPath", "/var/rejected"));

        await PollTwiceAsync(endpoint);

        Assert.That(files.FileExists("/router/archive/ok/good.json"), Is.True);
        Assert.That(files.FileExists("/var/rejected/bad.json"), Is.True);
        Assert.That(files.FileExists("/var/rejected/bad.json.error.txt"), Is.True);
    }

    [Test]
    public async Task Hidden_files_subfolders_and_files_not_matching_the_pattern_are_left_alone()
    {
        Drop(".order-1.json.tmp", "{");
        Drop(".order-2.json", "{");
        Drop("notes.txt", "hello");
        files.AddFile($"{Processed}/old.json", new MockFileData("{}"));
        var endpoint = Endpoint();

        var result = await PollTwiceAsync(endpoint);

        Assert.That(result, Is.EqualTo(PollResult.Empty));
        Assert.That(files.Directory.GetFiles(Inbox), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task A_missing_inbox_folder_is_created_rather_than_failing_the_poll()
    {
        var endpoint = Endpoint(null, ("path", "/srv/drop"));

        var result = await endpoint.PollAsync(sink, null, CancellationToken.None);

        Assert.That(result, Is.EqualTo(PollResult.Empty));
        Assert.That(files.Directory.Exists("/srv/drop"), Is.True);
    }

    [Test]
    public void A_cancelled_poll_hands_off_nothing()
    {
        Drop("order-1.json", """{ "number": "1001" }""");
        var endpoint = Endpoint(new PauseHookClock());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(async () => await endpoint.PollAsync(sink, TimeSpan.FromSeconds(1), cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(sink.Batches, Is.Empty);
        Assert.That(files.FileExists($"{Inbox}/order-1.json"), Is.True);
    }

    private void Drop(string name, string content, DateTime? writtenAt = null)
    {
        files.AddFile($"{Inbox}/{name}", new MockFileData(content) { LastWriteTime = writtenAt ?? new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
    }

    private async Task<PollResult> PollTwiceAsync(IInboundEndpoint endpoint)
    {
        await endpoint.PollAsync(sink, null, CancellationToken.None);
        return await endpoint.PollAsync(sink, null, CancellationToken.None);
    }

    private IInboundEndpoint Endpoint(TimeProvider? clock = null, params (string Key, object? Value)[] options)
    {
        var entries = new List<(string, object?)> { ("kind", "folder") };
        if (options.All(o => o.Key != "path"))
        {
            entries.Add(("path", "inbox"));
        }
        entries.AddRange(options);
        return new FolderEndpointKind().CreateInbound(new EndpointDefinition("inbox", "folder", Yaml.Map([.. entries])), TestServices.For(files, clock));
    }
}
