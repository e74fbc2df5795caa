using System.Diagnostics.CodeAnalysis;

namespace Router.Core.Config.Nodes;

/// <summary>
/// The YAML as a tree that remembers where each value came from. Validation runs over this tree (so errors carry
/// file:line:column), and endpoint and transformer factories read their options from it after validation.
/// </summary>
public abstract class ConfigNode
{
    protected ConfigNode(SourceMark mark)
    {
        Mark = mark;
    }

    public SourceMark Mark { get; }

    /// <summary>A short name of the node's YAML shape, for error messages ("a mapping", "a list", "text").</summary>
    public abstract string ShapeName { get; }
}

public sealed class ConfigScalar : ConfigNode
{
    public ConfigScalar(SourceMark mark, string? value, bool isQuoted = false, bool isSecret = false)
        : base(mark)
    {
        Value = value;
        IsQuoted = isQuoted;
        IsSecret = isSecret;
    }

    /// <summary>The text after <c>${env:…}</c>/<c>${file:…}</c> references were resolved; null for YAML null (<c>~</c>, <c>null</c>, empty).</summary>
    public string? Value { get; }

    /// <summary>Quoted scalars are always text: <c>"123"</c> is not a number, <c>"null"</c> is not null.</summary>
    public bool IsQuoted { get; }

    /// <summary>True when the value came from a secret reference or sits under a secret-like key; never print it.</summary>
    public bool IsSecret { get; private set; }

    public bool IsNull => Value is null;

    /// <summary>
    /// Whether a value is secret is only known once the schema says so (a kind's <c>Secret</c> option, a key named
    /// like a password); the loader flags it then, before anyone else sees the node.
    /// </summary>
    internal void MarkSecret() => IsSecret = true;

    public override string ShapeName => IsNull ? "null" : "a scalar";

    public override string ToString() => IsSecret ? "***" : Value ?? "null";
}

public sealed class ConfigSequence : ConfigNode
{
    public ConfigSequence(SourceMark mark, IReadOnlyList<ConfigNode> items)
        : base(mark)
    {
        Items = items;
    }

    public IReadOnlyList<ConfigNode> Items { get; }

    public override string ShapeName => "a list";
}

public sealed class ConfigMapping : ConfigNode
{
    private readonly Dictionary<string, ConfigNode> byKey;

    public ConfigMapping(SourceMark mark, IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> entries)
        : base(mark)
    {
        Entries = entries;
        byKey = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            // Duplicate keys are reported by the loader; the first one wins so the rest of validation stays stable.
            byKey.TryAdd(key.Value ?? "", value);
        }
    }

    public IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> Entries { get; }

    public IEnumerable<string> Keys => Entries.Select(e => e.Key.Value ?? "");

    public override string ShapeName => "a mapping";

    public ConfigNode? this[string key] => byKey.GetValueOrDefault(key);

    public bool Contains(string key) => byKey.ContainsKey(key);

    public bool TryGet(string key, [NotNullWhen(true)] out ConfigNode? node) => byKey.TryGetValue(key, out node);

    public ConfigScalar? KeyNode(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;

    public static ConfigMapping Empty(SourceMark mark) => new(mark, []);
}
