using System.IO.Abstractions;
using Router.Core.Config.Nodes;
using Router.Core.Endpoints;
using Router.Endpoints.Remote;
using Router.Endpoints.Tests.Support;
using Router.Testing;

namespace Router.Endpoints.Tests.Remote;

/// <summary>
/// One of the real servers scripts/services.sh starts (or a local folder for file://), with a fresh folder per test
/// under its root: tests seed and inspect that folder on disk and reach it through the server.
/// </summary>
public sealed class RemoteServer : IDisposable
{
    public const string Ftp = "ftp";
    public const string Ftps = "ftps";
    public const string Sftp = "sftp";
    public const string File = "file";

    public static readonly string[] Schemes = [Ftp, Ftps, Sftp, File];

    private readonly string? temporaryRoot;

    private RemoteServer(string scheme, string url, string? user, string? password, string root, IReadOnlyList<(string Key, object? Value)> pins, string? temporaryRoot = null)
    {
        Scheme = scheme;
        Url = url;
        User = user;
        Password = password;
        this.temporaryRoot = temporaryRoot;
        Pins = pins;
        FolderName = "t-" + Guid.NewGuid().ToString("N")[..12];
        Folder = System.IO.Path.Combine(root, FolderName);
        Directory.CreateDirectory(Folder);
        OpenUp(Folder);
    }

    public string Scheme { get; }
    public string Url { get; }
    public string? User { get; }
    public string? Password { get; }

    /// <summary>The pin options (certificate, host key) that make this server trusted.</summary>
    public IReadOnlyList<(string Key, object? Value)> Pins { get; }

    /// <summary>This test's folder on disk; on the server it is <see cref="RemoteFolder"/>.</summary>
    public string Folder { get; }

    public string FolderName { get; }

    public string RemoteFolder => "/" + FolderName;

    public static RemoteServer Start(string scheme) => scheme switch
    {
        Ftp => new RemoteServer(scheme, TestServers.Require("ROUTER_TEST_FTP_URL"), TestServers.Require("ROUTER_TEST_FTP_USER"),
            TestServers.Require("ROUTER_TEST_FTP_PASSWORD"), TestServers.Require("ROUTER_TEST_FTP_ROOT"), []),
        Ftps => new RemoteServer(scheme, TestServers.Require("ROUTER_TEST_FTPS_URL"), TestServers.Require("ROUTER_TEST_FTP_USER"),
            TestServers.Require("ROUTER_TEST_FTP_PASSWORD"), TestServers.Require("ROUTER_TEST_FTP_ROOT"),
            [("certificate", TestServers.Require("ROUTER_TEST_FTPS_CERT_SHA256"))]),
        Sftp => new RemoteServer(scheme, TestServers.Require("ROUTER_TEST_SFTP_URL"), TestServers.Require("ROUTER_TEST_SFTP_USER"),
            TestServers.Require("ROUTER_TEST_SFTP_PASSWORD"), TestServers.Require("ROUTER_TEST_SFTP_ROOT"),
            [("hostKey", TestServers.Require("ROUTER_TEST_SFTP_HOST_KEY"))]),
        File => Local(),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null),
    };

    private static RemoteServer Local()
    {
        var root = Directory.CreateTempSubdirectory("router-remote-").FullName;
        return new RemoteServer(File, "file://" + root, null, null, root, [], root);
    }

    /// <summary>The connection options (url, user, password as a secret, pins) plus <paramref name="more"/>.</summary>
    public ConfigMapping Options(params (string Key, object? Value)[] more)
    {
        var entries = new List<(string, object?)> { ("url", Url) };
        if (User is not null)
        {
            entries.Add(("user", User));
        }
        if (Password is not null)
        {
            entries.Add(("password", new Secret(Password)));
        }
        entries.AddRange(Pins);
        entries.Add(("timeout", "20s"));
        // The config loader keeps the first of two equal keys, so an override replaces the base entry.
        entries.RemoveAll(e => more.Any(m => m.Key == e.Item1));
        entries.AddRange(more);
        return Yaml.Map([.. entries]);
    }

    public RemoteConnection Connection(params (string Key, object? Value)[] more) => RemoteConnectionOptions.Read(Options(more), Services());

    public static EndpointServices Services(long? maxMessageSize = null) => TestServices.For(new FileSystem(), maxMessageSize: maxMessageSize);

    public IRemoteFiles Open(params (string Key, object? Value)[] more) => RemoteFiles.Open(Connection(more), Services());

    public string Local(params string[] parts) => System.IO.Path.Combine([Folder, .. parts]);

    public void Drop(string name, byte[] content)
    {
        var path = Local(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        OpenUp(path);
    }

    public void Drop(string name, string content) => Drop(name, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>The files under this test's folder, as relative paths, sorted.</summary>
    public IReadOnlyList<string> Files() =>
        Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(Folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public void Dispose()
    {
        try
        {
            Directory.Delete(temporaryRoot ?? Folder, recursive: true);
        }
        catch (IOException)
        {
            // The run directory goes away with the servers anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // The SFTP user is not root: what the test (root) creates must stay writable for it.
    private static void OpenUp(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, Directory.Exists(path)
                ? (UnixFileMode)0b111_111_111
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        }
    }
}
