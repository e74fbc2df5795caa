using Router.Core.Config.Nodes;

namespace Router.Core.Config.Yaml;

/// <summary>
/// Facts about how a value scalar was written that the node itself does not carry: where its text starts, whether
/// columns inside it map one-to-one onto the file (no escapes, one line), and whether a reference in it failed.
/// </summary>
internal sealed record ScalarOrigin(int ContentColumn, bool ColumnsExact, bool HasUnresolvedReference);

/// <summary>One YAML file read into nodes.</summary>
internal sealed record YamlDocument(string DisplayPath, string FullPath, ConfigNode Root, IReadOnlyDictionary<ConfigScalar, ScalarOrigin> Scalars);
