namespace Router.Core.Config.Yaml;

/// <summary>
/// Bounds on what one YAML file may cost to load. A config is small; these stop a mistaken or hostile file
/// (a log file passed by accident, a billion-laughs alias bomb, runaway nesting) before it exhausts memory or stack.
/// </summary>
internal sealed record YamlLimits
{
    public static readonly YamlLimits Default = new();

    public long MaxFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Values after aliases are expanded: every alias counts as a full copy of what its anchor holds.</summary>
    public long MaxNodes { get; init; } = 100_000;

    public int MaxDepth { get; init; } = 64;
}
