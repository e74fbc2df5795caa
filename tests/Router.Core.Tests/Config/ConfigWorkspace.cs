using System.IO.Abstractions.TestingHelpers;
using Router.Core.Config;
using Router.Core.Config.Nodes;

namespace Router.Core.Tests.Config;

/// <summary>Config files in an in-memory file system under /cfg, with a fake environment, and the loader over both.</summary>
internal sealed class ConfigWorkspace
{
    public const string Root = "/cfg";

    public MockFileSystem Files { get; } = new();

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public static string PathOf(string relative) => $"{Root}/{relative}";

    public ConfigWorkspace Write(string relative, string text)
    {
        Files.AddFile(PathOf(relative), new MockFileData(text));
        return this;
    }

    public ConfigLoader Loader() =>
        new(TestRegistries.Kinds, TestRegistries.Transformers, Files, name => Environment.GetValueOrDefault(name));

    public ConfigLoadResult Load(string relative = "router.yaml") => Loader().Load(PathOf(relative));

    /// <summary>Where <paramref name="needle"/> first appears in <paramref name="text"/> (after <paramref name="after"/>, if given), as a mark in that file.</summary>
    public static SourceMark Locate(string relative, string text, string needle, string? after = null)
    {
        var start = after is null ? 0 : text.IndexOf(after, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"'{after}' is not in the test YAML");
        var index = text.IndexOf(needle, start, StringComparison.Ordinal);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"'{needle}' is not in the test YAML");
        var line = text[..index].Count(c => c == '\n') + 1;
        var lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return new SourceMark(PathOf(relative), line, index - lineStart + 1);
    }
}
