using Router.Core.Config.Nodes;

namespace Router.Core.Config;

/// <summary>A configuration problem at a known place. <see cref="ToString"/> is the <c>file:line:col: error: …</c> line users see.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(SourceMark mark, string message)
        : base(message)
    {
        Mark = mark;
    }

    public SourceMark Mark { get; }

    public override string ToString() => $"{Mark}: error: {Message}";
}
