using System.IO.Abstractions;
using Router.Core.Config.Nodes;
using Router.Core.Config.Secrets;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Router.Core.Config.Yaml;

/// <summary>
/// Reads a YAML file into <see cref="ConfigNode"/>s with a mark on every key and value, straight from YamlDotNet's
/// event stream so that duplicate keys, aliases and their cost are under our control. Problems are reported to the
/// bag; a file that cannot be parsed at all yields no document, and loading goes on with the other files.
/// </summary>
internal sealed class YamlConfigReader
{
    private readonly IFileSystem fileSystem;
    private readonly SecretReferenceResolver references;
    private readonly SecretRedactor redactor;
    private readonly DiagnosticBag diagnostics;
    private readonly YamlLimits limits;

    public YamlConfigReader(IFileSystem fileSystem, SecretReferenceResolver references, SecretRedactor redactor, DiagnosticBag diagnostics, YamlLimits limits)
    {
        this.fileSystem = fileSystem;
        this.references = references;
        this.redactor = redactor;
        this.diagnostics = diagnostics;
        this.limits = limits;
    }

    public YamlDocument? Read(string displayPath, string fullPath)
    {
        var start = new SourceMark(displayPath, 1, 1);
        string text;
        try
        {
            if (!fileSystem.File.Exists(fullPath))
            {
                diagnostics.Error(start, $"the file does not exist (looked for {fullPath})");
                return null;
            }
            if (fileSystem.FileInfo.New(fullPath).Length > limits.MaxFileBytes)
            {
                var limit = limits.MaxFileBytes >= 1024 * 1024 ? $"{limits.MaxFileBytes / (1024 * 1024)} MB" : $"{limits.MaxFileBytes} bytes";
                diagnostics.Error(start, $"the file is larger than {limit}; is it really the configuration?");
                return null;
            }
            text = fileSystem.File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(start, $"the file cannot be read: {e.Message}");
            return null;
        }
        var session = new Session(this, displayPath, fileSystem.Path.GetDirectoryName(fullPath) ?? "", text);
        var root = session.ReadDocument();
        return root is null ? null : new YamlDocument(displayPath, fullPath, root, session.Scalars);
    }

    /// <summary>Stops reading a file whose shape or size makes going on pointless or dangerous.</summary>
    private sealed class AbortReadingException(SourceMark mark, string message) : Exception(message)
    {
        public SourceMark Mark { get; } = mark;
    }

    private sealed class Session(YamlConfigReader owner, string displayPath, string directory, string text)
    {
        private readonly Dictionary<string, (ConfigNode Node, long Size)> anchors = new(StringComparer.Ordinal);
        private readonly Dictionary<ConfigScalar, ScalarOrigin> scalars = new(ReferenceEqualityComparer.Instance);
        private readonly IParser parser = new Parser(new StringReader(text));
        private Mark lastMark = Mark.Empty;
        private long expanded;

        public IReadOnlyDictionary<ConfigScalar, ScalarOrigin> Scalars => scalars;

        public ConfigNode? ReadDocument()
        {
            try
            {
                Advance(); // StreamStart
                Advance();
                if (parser.Current is StreamEnd)
                {
                    return ConfigMapping.Empty(new SourceMark(displayPath, 1, 1));
                }
                Advance(); // DocumentStart
                var (root, _) = ReadNode(0);
                Advance(); // DocumentEnd
                if (parser.Current is DocumentStart next)
                {
                    owner.diagnostics.Error(At(next.Start), "a second YAML document ('---') is not read; put everything in one document or use 'include:'");
                }
                return root is ConfigScalar { IsNull: true } ? ConfigMapping.Empty(root.Mark) : root;
            }
            catch (YamlException e)
            {
                owner.diagnostics.Error(At(e.Start), $"YAML syntax error: {e.Message}");
                return null;
            }
            catch (AbortReadingException e)
            {
                owner.diagnostics.Error(e.Mark, e.Message);
                return null;
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's scanner gives up this way on some malformed flow collections instead of a YamlException.
                owner.diagnostics.Error(At(lastMark), "YAML syntax error: the text after this point cannot be parsed (is a '[' or '{' not closed?)");
                return null;
            }
        }

        private void Advance()
        {
            parser.MoveNext();
            if (parser.Current is { } current)
            {
                lastMark = current.End;
            }
        }

        private SourceMark At(Mark mark) => new(displayPath, (int)mark.Line, (int)mark.Column);

        private void Count(long nodes, Mark mark)
        {
            expanded += nodes;
            if (expanded > owner.limits.MaxNodes)
            {
                throw new AbortReadingException(At(mark),
                    $"the file expands to more than {owner.limits.MaxNodes} values (each alias repeats its anchor's content); refusing to load it");
            }
        }

        private (ConfigNode Node, long Size) ReadNode(int depth)
        {
            var current = parser.Current ?? throw new AbortReadingException(At(lastMark), "unexpected end of the YAML");
            if (depth > owner.limits.MaxDepth)
            {
                throw new AbortReadingException(At(current.Start), $"values are nested more than {owner.limits.MaxDepth} levels deep");
            }
            (ConfigNode Node, long Size) result;
            switch (current)
            {
                case AnchorAlias alias:
                    Advance();
                    if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
                    {
                        owner.diagnostics.Error(At(alias.Start), $"alias '*{alias.Value.Value}' refers to no anchor ('&{alias.Value.Value}') defined before it");
                        return (new ConfigScalar(At(alias.Start), null), 1);
                    }
                    Count(anchored.Size, alias.Start);
                    return anchored;
                case Scalar scalar:
                    Advance();
                    Count(1, scalar.Start);
                    result = (ValueScalar(scalar), 1);
                    break;
                case SequenceStart sequence:
                    CheckTag(sequence.Tag, sequence.Start);
                    result = ReadSequence(sequence, depth);
                    break;
                case MappingStart mapping:
                    CheckTag(mapping.Tag, mapping.Start);
                    result = ReadMapping(mapping, depth);
                    break;
                default:
                    throw new AbortReadingException(At(current.Start), $"unexpected YAML content ({current.GetType().Name})");
            }
            if (current is NodeEvent { Anchor.IsEmpty: false } anchoredEvent)
            {
                anchors[anchoredEvent.Anchor.Value] = result;
            }
            return result;
        }

        private (ConfigNode, long) ReadSequence(SequenceStart start, int depth)
        {
            Advance();
            Count(1, start.Start);
            var items = new List<ConfigNode>();
            long size = 1;
            while (parser.Current is not SequenceEnd)
            {
                var (item, itemSize) = ReadNode(depth + 1);
                items.Add(item);
                size += itemSize;
            }
            Advance();
            return (new ConfigSequence(At(start.Start), items), size);
        }

        private (ConfigNode, long) ReadMapping(MappingStart start, int depth)
        {
            Advance();
            Count(1, start.Start);
            var entries = new List<KeyValuePair<ConfigScalar, ConfigNode>>();
            var seen = new Dictionary<string, SourceMark>(StringComparer.Ordinal);
            var merges = new List<(ConfigNode Source, SourceMark Mark)>();
            long size = 1;
            while (parser.Current is not MappingEnd)
            {
                if (parser.Current is not Scalar keyEvent)
                {
                    var keyMark = At(parser.Current!.Start);
                    size += ReadNode(depth + 1).Size + ReadNode(depth + 1).Size;
                    owner.diagnostics.Error(keyMark, "a key must be plain text, not a mapping or a list");
                    continue;
                }
                Advance();
                Count(1, keyEvent.Start);
                var key = new ConfigScalar(At(keyEvent.Start), keyEvent.Value, keyEvent.Style != ScalarStyle.Plain);
                var (value, valueSize) = ReadNode(depth + 1);
                size += 1 + valueSize;
                if (keyEvent.Style == ScalarStyle.Plain && keyEvent.Value == "<<")
                {
                    merges.Add((value, key.Mark));
                }
                else if (seen.TryGetValue(keyEvent.Value, out var first))
                {
                    owner.diagnostics.Error(key.Mark, $"duplicate key '{keyEvent.Value}' (first at line {first.Line})");
                }
                else
                {
                    seen.Add(keyEvent.Value, key.Mark);
                    entries.Add(new(key, value));
                }
            }
            Advance();
            foreach (var (source, mark) in merges)
            {
                Merge(source, mark, entries, seen);
            }
            return (new ConfigMapping(At(start.Start), entries), size);
        }

        /// <summary>YAML merge keys (<c>&lt;&lt;: *defaults</c>): keys written in the mapping win over merged ones, earlier sources over later.</summary>
        private void Merge(ConfigNode source, SourceMark mark, List<KeyValuePair<ConfigScalar, ConfigNode>> entries, Dictionary<string, SourceMark> seen)
        {
            IReadOnlyList<ConfigNode> sources = source is ConfigSequence list ? list.Items : [source];
            foreach (var item in sources)
            {
                if (item is not ConfigMapping mapping)
                {
                    owner.diagnostics.Error(mark, "'<<' merges a mapping or a list of mappings (such as *defaults)");
                    return;
                }
                foreach (var entry in mapping.Entries)
                {
                    if (seen.TryAdd(entry.Key.Value ?? "", entry.Key.Mark))
                    {
                        entries.Add(entry);
                    }
                }
            }
        }

        private void CheckTag(TagName tag, Mark mark)
        {
            if (!tag.IsEmpty && !tag.IsNonSpecific && !tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal))
            {
                owner.diagnostics.Error(At(mark), $"YAML tag '{tag.Value}' is not supported (to read other files, use 'include:' at the top of the main file)");
            }
        }

        private ConfigScalar ValueScalar(Scalar scalar)
        {
            var mark = At(scalar.Start);
            CheckTag(scalar.Tag, scalar.Start);
            var explicitText = !scalar.Tag.IsEmpty && scalar.Tag.Value == "tag:yaml.org,2002:str";
            var plain = scalar.Style == ScalarStyle.Plain && !explicitText;
            if (plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL")
            {
                return new ConfigScalar(mark, null);
            }
            var resolved = owner.references.Resolve(scalar.Value, directory);
            foreach (var error in resolved.Errors)
            {
                owner.diagnostics.Error(mark, error);
            }
            foreach (var part in resolved.SecretParts)
            {
                owner.redactor.Add(part);
            }
            var unresolved = resolved.Errors.Count > 0;
            var value = unresolved ? scalar.Value : resolved.Value;
            if (resolved.HasReference)
            {
                owner.redactor.Add(value);
            }
            var node = new ConfigScalar(mark, value, !plain, resolved.HasReference);
            var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
            var columnsExact = !resolved.HasReference
                && scalar.Start.Line == scalar.End.Line
                && scalar.Style is ScalarStyle.Plain or ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
                && scalar.End.Column - scalar.Start.Column == scalar.Value.Length + (quoted ? 2 : 0);
            scalars[node] = new ScalarOrigin((int)scalar.Start.Column + (quoted ? 1 : 0), columnsExact, unresolved);
            return node;
        }
    }
}
