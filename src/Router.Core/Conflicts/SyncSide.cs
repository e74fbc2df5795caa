namespace Router.Core.Conflicts;

/// <summary>The two systems a two-way sync keeps in step.</summary>
public enum SyncSide
{
    Platform,
    Onec,
}

public static class SyncSides
{
    public const string PlatformName = "platform";
    public const string OnecName = "onec";

    public static readonly IReadOnlyList<string> Names = [PlatformName, OnecName];

    /// <summary>The name in YAML, JSON and on the command line.</summary>
    public static string Name(this SyncSide side) => side == SyncSide.Platform ? PlatformName : OnecName;

    /// <summary>How people call it in tables and messages: 1C, not "onec".</summary>
    public static string Label(this SyncSide side) => side == SyncSide.Platform ? "platform" : "1C";

    public static SyncSide Other(this SyncSide side) => side == SyncSide.Platform ? SyncSide.Onec : SyncSide.Platform;

    /// <summary>Accepts <c>platform</c>, <c>onec</c> and, since that is what people type, <c>1c</c>.</summary>
    public static bool TryParse(string? text, out SyncSide side)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case PlatformName:
                side = SyncSide.Platform;
                return true;
            case OnecName or "1c" or "1с":
                side = SyncSide.Onec;
                return true;
            default:
                side = default;
                return false;
        }
    }
}
