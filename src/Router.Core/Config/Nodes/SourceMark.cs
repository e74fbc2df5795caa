namespace Router.Core.Config.Nodes;

/// <summary>Where a configuration value was written: every error the router reports about the YAML points here.</summary>
public readonly record struct SourceMark(string File, int Line, int Column)
{
    public static readonly SourceMark None = new("<none>", 0, 0);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
