namespace Router.Integration.Tests.Support;

/// <summary>Finds the repository (for config/, samples and the built CLI) from the test's output directory.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Config => Path.Combine(Root, "config");

    /// <summary>The project's shared folder (fixtures, references): beside the repository in CI, under /work in a session.</summary>
    public static string Shared { get; } = new[] { Path.GetFullPath(Path.Combine(Root, "..", "shared")), "/work/shared" }
        .FirstOrDefault(Directory.Exists) ?? throw new InvalidOperationException("cannot find the shared folder beside " + Root);

    /// <summary>The router CLI as built next to the tests (the test project references the host).</summary>
    public static string RouterDll => Path.Combine(AppContext.BaseDirectory, "router.dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Router.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("cannot find Router.sln above " + AppContext.BaseDirectory);
    }
}
