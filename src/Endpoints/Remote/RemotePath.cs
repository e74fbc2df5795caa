namespace Router.Endpoints.Remote;

/// <summary>'/'-separated remote paths, whatever the local operating system's separator.</summary>
public static class RemotePath
{
    public static string Combine(string directory, string name)
    {
        if (name.StartsWith('/'))
        {
            return Normalize(name);
        }
        return Normalize(directory.TrimEnd('/') + "/" + name);
    }

    public static string Normalize(string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
        {
            throw new ArgumentException($"the remote path '{path}' steps out with '.' or '..'", nameof(path));
        }
        return "/" + string.Join('/', segments);
    }

    public static string Parent(string path)
    {
        var normalized = Normalize(path);
        var slash = normalized.LastIndexOf('/');
        return slash <= 0 ? "/" : normalized[..slash];
    }

    public static string Name(string path)
    {
        var normalized = Normalize(path);
        return normalized[(normalized.LastIndexOf('/') + 1)..];
    }

    /// <summary>The chain of folders from the top down to <paramref name="path"/>: /a, /a/b, /a/b/c.</summary>
    public static IEnumerable<string> Ancestry(string path)
    {
        var current = "";
        foreach (var segment in Normalize(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + segment;
            yield return current;
        }
    }
}
