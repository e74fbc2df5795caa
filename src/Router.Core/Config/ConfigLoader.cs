using System.IO.Abstractions;
using Router.Core.Config.Binding;
using Router.Core.Config.Includes;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Config.Secrets;
using Router.Core.Config.Validation;
using Router.Core.Config.Yaml;
using Router.Core.Endpoints;
using Router.Core.Transformers;

namespace Router.Core.Config;

/// <summary>
/// Loads the router YAML: reads the main file and its includes, resolves secret references, validates everything
/// against the schema built from the registries, builds every route step once, and binds the typed model.
/// Configuration problems never throw: they come back as diagnostics, all of them, sorted by place.
/// </summary>
/// <remarks>
/// Relative paths: <c>include:</c> globs and <c>${file:…}</c> references are relative to the file that contains
/// them; every other path (storage, inboxes, transformer files) is kept as written and is relative to the main
/// file's directory, <see cref="Model.RouterConfig.BaseDirectory"/>, wherever it was written.
/// </remarks>
public sealed class ConfigLoader
{
    /// <summary>A typo like <c>**/*</c> from the file system root must not read the whole disk.</summary>
    internal const int MaxFiles = 1000;

    private readonly EndpointKindRegistry kinds;
    private readonly TransformerRegistry transformers;
    private readonly IFileSystem fileSystem;
    private readonly Func<string, string?> environment;
    private readonly ObjectSchema includedFileSchema;

    /// <param name="environment">Looks up <c>${env:NAME}</c>; pass <see cref="Environment.GetEnvironmentVariable(string)"/> in the host.</param>
    public ConfigLoader(EndpointKindRegistry kinds, TransformerRegistry transformers, IFileSystem fileSystem, Func<string, string?> environment)
    {
        this.kinds = kinds;
        this.transformers = transformers;
        this.fileSystem = fileSystem;
        this.environment = environment;
        Schema = ConfigSchemaBuilder.Build(kinds, transformers);
        includedFileSchema = ConfigSchemaBuilder.ForIncludedFile(Schema);
    }

    /// <summary>The schema the YAML is validated against (and config/router.schema.json is generated from).</summary>
    public ObjectSchema Schema { get; }

    internal YamlLimits Limits { get; init; } = YamlLimits.Default;

    public ConfigLoadResult Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var diagnostics = new DiagnosticBag();
        var redactor = new SecretRedactor();
        var reader = new YamlConfigReader(fileSystem, new SecretReferenceResolver(fileSystem, environment), redactor, diagnostics, Limits);
        var fullPath = fileSystem.Path.GetFullPath(path);

        var documents = ReadWithIncludes(reader, path, fullPath, diagnostics);
        var main = documents.FirstOrDefault(d => d.FullPath == fullPath);
        if (main is null)
        {
            return new ConfigLoadResult(null, diagnostics.ToSortedList(redactor.Redact));
        }

        var scalars = new Dictionary<ConfigScalar, ScalarOrigin>(ReferenceEqualityComparer.Instance);
        foreach (var (scalar, origin) in documents.SelectMany(d => d.Scalars))
        {
            scalars[scalar] = origin;
        }

        var catalog = ConfigCatalog.Collect(documents, diagnostics);
        var endpointIds = catalog.Endpoints.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var validator = new SchemaValidator(diagnostics, endpointIds, scalars, redactor);
        foreach (var document in documents)
        {
            var isMain = ReferenceEquals(document, main);
            if (!isMain && document.Root is ConfigMapping root && root.KeyNode(ConfigSchemaBuilder.RouterKey) is { } routerKey)
            {
                diagnostics.Error(routerKey.Mark, $"'router' may only be set in the main file ({main.DisplayPath})");
            }
            validator.Validate(isMain ? Schema : includedFileSchema, document.Root, "the file", secret: false);
        }
        RouterSettingsChecks.Run(main.Root, diagnostics);
        new ReferenceChecks(catalog, kinds, diagnostics).Run();
        new EndpointKindChecks(catalog, kinds, main.Root, diagnostics).Run();
        new ConflictChecks(catalog, diagnostics).Run();
        var baseDirectory = fileSystem.Path.GetDirectoryName(fullPath) ?? "";
        new TransformerChecks(transformers, endpointIds, scalars, new TransformerCreationContext(baseDirectory, fileSystem), diagnostics).Run(catalog);

        var sorted = diagnostics.ToSortedList(redactor.Redact);
        if (diagnostics.ErrorCount > 0)
        {
            return new ConfigLoadResult(null, sorted);
        }
        var config = new ConfigBinder(transformers).Bind(fullPath, (ConfigMapping)main.Root, catalog, documents.Select(d => d.FullPath).ToList());
        return new ConfigLoadResult(config, sorted);
    }

    /// <summary>The main file, then its includes breadth first; a file reached twice is read once (so include cycles are harmless).</summary>
    private List<YamlDocument> ReadWithIncludes(YamlConfigReader reader, string displayPath, string fullPath, DiagnosticBag diagnostics)
    {
        var expander = new IncludeExpander(fileSystem);
        var documents = new List<YamlDocument>();
        var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal) { fullPath };
        var pending = new Queue<IncludedFile>([new IncludedFile(displayPath, fullPath)]);
        while (pending.TryDequeue(out var file))
        {
            if (reader.Read(file.DisplayPath, file.FullPath) is not { } document)
            {
                continue;
            }
            documents.Add(document);
            foreach (var (pattern, mark) in IncludePatterns(document.Root))
            {
                foreach (var included in expander.Expand(pattern, document.DisplayPath, document.FullPath, mark, diagnostics))
                {
                    if (!seen.Add(included.FullPath))
                    {
                        continue;
                    }
                    if (seen.Count > MaxFiles)
                    {
                        diagnostics.Error(mark, $"more than {MaxFiles} files are included; is the pattern '{pattern}' too wide?");
                        return documents;
                    }
                    pending.Enqueue(included);
                }
            }
        }
        return documents;
    }

    /// <summary>The usable entries of <c>include:</c>; entries of the wrong shape are left to the schema pass to report.</summary>
    private static IEnumerable<(string Pattern, SourceMark Mark)> IncludePatterns(ConfigNode root)
    {
        var include = (root as ConfigMapping)?[ConfigSchemaBuilder.IncludeKey];
        IReadOnlyList<ConfigNode> items = include switch
        {
            ConfigSequence sequence => sequence.Items,
            ConfigScalar => [include],
            _ => [],
        };
        foreach (var item in items)
        {
            if (item is ConfigScalar { Value: { } pattern } scalar && pattern.Trim().Length > 0)
            {
                yield return (pattern, scalar.Mark);
            }
        }
    }
}
