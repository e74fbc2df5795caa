using Router.Core.Failures;
using Router.Testing;

namespace Router.Endpoints.Tests.Remote;

/// <summary>Who the router trusts and how it logs in: pinned FTPS certificates, pinned SFTP host keys, SFTP keys.</summary>
public sealed class TrustAndLoginTests
{
    [Test]
    public async Task Ftps_with_the_pinned_certificate_connects_and_without_a_pin_a_self_signed_one_is_refused()
    {
        using var server = RemoteServer.Start(RemoteServer.Ftps);
        await using (var pinned = server.Open())
        {
            Assert.That(await pinned.ListAsync(server.RemoteFolder, CancellationToken.None), Is.Empty);
        }
        // Another host name for the same server: no pin applies to it, so the system's trust store decides.
        var unpinnedUrl = server.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await using var unpinned = server.Open(("url", unpinnedUrl), ("certificate", null));

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => unpinned.ListAsync(server.RemoteFolder, CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo("ftps-certificate"));
        Assert.That(failure.Message, Does.Contain("not trusted"));
    }

    [Test]
    public async Task Sftp_logs_in_with_a_private_key_file()
    {
        using var server = RemoteServer.Start(RemoteServer.Sftp);
        server.Drop("import.xml", "<a/>");
        await using var remote = server.Open(("password", null), ("privateKeyFile", TestServers.Require("ROUTER_TEST_SFTP_KEY")));

        var files = await remote.ListAsync(server.RemoteFolder, CancellationToken.None);

        Assert.That(files.Single().Name, Is.EqualTo("import.xml"));
    }

    [Test]
    public void Sftp_refuses_a_server_whose_host_key_is_not_the_pinned_one()
    {
        using var server = RemoteServer.Start(RemoteServer.Sftp);
        var remote = server.Open(("hostKey", "SHA256:" + new string('A', 43)));

        var failure = Assert.ThrowsAsync<PermanentFailureException>(() => remote.ListAsync(server.RemoteFolder, CancellationToken.None));

        Assert.That(failure!.Code, Is.EqualTo("sftp-host-key"));
    }
}
