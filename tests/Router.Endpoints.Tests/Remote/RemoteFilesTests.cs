using System.Text;
using Router.Core.Failures;
using Router.Endpoints.Remote;

namespace Router.Endpoints.Tests.Remote;

/// <summary>The remote-file interface against each real server: what the 1C endpoint relies on.</summary>
[TestFixtureSource(typeof(RemoteServer), nameof(RemoteServer.Schemes))]
public sealed class RemoteFilesTests(string scheme)
{
    private RemoteServer server = null!;

    [SetUp]
    public void SetUp() => server = RemoteServer.Start(scheme);

    [TearDown]
    public void TearDown() => server?.Dispose();

    [Test]
    public async Task Lists_files_with_size_and_time_but_not_folders()
    {
        server.Drop("import0_1.xml", "<a/>");
        server.Drop("sub/offers0_1.xml", "<b/>");
        await using var remote = server.Open();

        var files = await remote.ListAsync(server.RemoteFolder, CancellationToken.None);

        var file = files.Single();
        Assert.That(file.Name, Is.EqualTo("import0_1.xml"));
        Assert.That(file.FullPath, Is.EqualTo($"{server.RemoteFolder}/import0_1.xml"));
        Assert.That(file.Length, Is.EqualTo(4));
        Assert.That(file.LastWriteUtc, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromDays(2)));
    }

    [Test]
    public async Task Uploads_downloads_renames_and_deletes()
    {
        await using var remote = server.Open();
        var content = Encoding.UTF8.GetBytes("<КоммерческаяИнформация/>");
        var folder = $"{server.RemoteFolder}/out/orders";

        await remote.CreateDirectoryAsync(folder, CancellationToken.None);
        await remote.CreateDirectoryAsync(folder, CancellationToken.None);
        await remote.UploadAsync($"{folder}/.a.tmp", new MemoryStream(content), CancellationToken.None);
        await remote.RenameAsync($"{folder}/.a.tmp", $"{folder}/a.xml", CancellationToken.None);
        using var downloaded = new MemoryStream();
        await remote.DownloadAsync($"{folder}/a.xml", downloaded, CancellationToken.None);

        Assert.That(downloaded.ToArray(), Is.EqualTo(content));
        Assert.That(await remote.ExistsAsync($"{folder}/a.xml", CancellationToken.None), Is.True);
        Assert.That(await remote.ExistsAsync($"{folder}/.a.tmp", CancellationToken.None), Is.False);
        Assert.That(server.Files(), Is.EqualTo(new[] { "out/orders/a.xml" }));

        await remote.DeleteAsync($"{folder}/a.xml", CancellationToken.None);

        Assert.That(await remote.ExistsAsync($"{folder}/a.xml", CancellationToken.None), Is.False);
        Assert.That(server.Files(), Is.Empty);
    }

    [Test]
    public async Task A_rename_replaces_an_existing_file()
    {
        server.Drop("a.xml", "old");
        server.Drop("b.xml", "new");
        await using var remote = server.Open();

        await remote.RenameAsync($"{server.RemoteFolder}/b.xml", $"{server.RemoteFolder}/a.xml", CancellationToken.None);

        Assert.That(server.Files(), Is.EqualTo(new[] { "a.xml" }));
        Assert.That(File.ReadAllText(server.Local("a.xml")), Is.EqualTo("new"));
    }

    [Test]
    public async Task A_missing_file_is_a_not_found_failure()
    {
        await using var remote = server.Open();

        Assert.ThrowsAsync<RemoteFileNotFoundException>(() => remote.DownloadAsync($"{server.RemoteFolder}/missing.xml", new MemoryStream(), CancellationToken.None));
        Assert.ThrowsAsync<RemoteFileNotFoundException>(() => remote.DeleteAsync($"{server.RemoteFolder}/missing.xml", CancellationToken.None));
    }

    [Test]
    public async Task A_size_limit_stops_a_download_and_passes_through()
    {
        server.Drop("big.xml", new byte[300_000]);
        await using var remote = server.Open();
        using var limited = new SizeLimitedStream(1000);

        Assert.ThrowsAsync<SizeLimitExceededException>(() => remote.DownloadAsync($"{server.RemoteFolder}/big.xml", limited, CancellationToken.None));

        // The session is still usable afterwards.
        Assert.That((await remote.ListAsync(server.RemoteFolder, CancellationToken.None)).Single().Name, Is.EqualTo("big.xml"));
    }

    [Test]
    public void A_wrong_password_is_permanent_and_never_shown()
    {
        if (server.Password is null)
        {
            Assert.Ignore("a local folder has no login");
        }
        const string wrong = "wrong-Pa55word-xyz";
        var remote = server.Open(("password", new Support.Secret(wrong)));

        var failure = Assert.ThrowsAsync(Is.InstanceOf<PermanentFailureException>(), () => remote.ListAsync(server.RemoteFolder, CancellationToken.None));

        Assert.That(failure!.Message, Does.Not.Contain(wrong));
        Assert.That(failure.Message, Does.Contain("***").Or.Contain("127.0.0.1"));
        Assert.That(failure.ToString(), Does.Not.Contain(wrong));
    }

    [Test]
    public void A_server_that_does_not_answer_is_transient_and_the_password_is_not_shown()
    {
        if (server.Password is null)
        {
            Assert.Ignore("a local folder has no connection");
        }
        var port = FreePort();
        var url = $"{scheme}://127.0.0.1:{port}/";
        var remote = server.Open(("url", url));

        var failure = Assert.ThrowsAsync<TransientFailureException>(() => remote.ListAsync("/", CancellationToken.None));

        Assert.That(failure!.Message, Does.Contain($"127.0.0.1:{port}"));
        Assert.That(failure.Message, Does.Not.Contain(server.Password));
        Assert.That(failure.Message, Does.Contain(":***@"));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
