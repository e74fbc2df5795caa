using System.IO.Abstractions;
using Router.Core.Config.Nodes;
using Router.Core.Config.Secrets;
using Router.Core.Config.Validation;
using Router.Core.Config.Yaml;
using Router.Core.Transformers;

namespace Router.Core.Config;

/// <summary>
/// Builds one transformer from options written as YAML outside a config file (<c>router transform --option …</c>),
/// with the same reading, validation and diagnostics as a route step in the YAML.
/// </summary>
public static class StandaloneStep
{
    /// <param name="optionsFile">A YAML file whose whole content is the step's options mapping.</param>
    public static (ITransformer? Transformer, IReadOnlyList<ConfigDiagnostic> Diagnostics) Build(ITransformerFactory factory, string optionsFile,
        IFileSystem fileSystem, Func<string, string?> environment, string baseDirectory)
    {
        var diagnostics = new DiagnosticBag();
        var redactor = new SecretRedactor();
        var reader = new YamlConfigReader(fileSystem, new SecretReferenceResolver(fileSystem, environment), redactor, diagnostics, YamlLimits.Default);
        var document = reader.Read(optionsFile, fileSystem.Path.GetFullPath(optionsFile));
        if (document is null || diagnostics.ErrorCount > 0)
        {
            return (null, diagnostics.ToSortedList(redactor.Redact));
        }
        var key = new ConfigScalar(new SourceMark(optionsFile, 1, 1), factory.Name);
        var options = StepOptions.Of(key, document.Root, factory.OptionsSchema);
        new SchemaValidator(diagnostics, [], document.Scalars, redactor).Validate(factory.OptionsSchema, options, $"the options of '{factory.Name}'", secret: false);
        if (diagnostics.ErrorCount > 0)
        {
            return (null, diagnostics.ToSortedList(redactor.Redact));
        }
        try
        {
            return (factory.Create(options, new TransformerCreationContext(baseDirectory, fileSystem)), diagnostics.ToSortedList(redactor.Redact));
        }
        catch (ConfigException e)
        {
            diagnostics.Error(e.Mark, e.Message);
            return (null, diagnostics.ToSortedList(redactor.Redact));
        }
    }
}
