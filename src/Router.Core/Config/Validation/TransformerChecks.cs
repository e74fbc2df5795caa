using Router.Core.Config.Nodes;
using Router.Core.Config.Yaml;
using Router.Core.Transformers;

namespace Router.Core.Config.Validation;

/// <summary>
/// Builds every route step whose options passed the schema, so that what only the factory can tell (an expression
/// inside a mapping, a template file that is missing) is reported with the other problems.
/// </summary>
internal sealed class TransformerChecks(
    TransformerRegistry transformers,
    IReadOnlyCollection<string> endpointIds,
    IReadOnlyDictionary<ConfigScalar, ScalarOrigin> scalars,
    TransformerCreationContext context,
    DiagnosticBag diagnostics)
{
    public void Run(ConfigCatalog catalog)
    {
        foreach (var route in catalog.RouteNodes)
        {
            if (route["steps"] is not ConfigSequence steps)
            {
                continue;
            }
            foreach (var step in steps.Items)
            {
                if (step is ConfigMapping { Entries.Count: 1 } mapping)
                {
                    var (key, value) = mapping.Entries[0];
                    TryCreate(key, value);
                }
            }
        }
    }

    private void TryCreate(ConfigScalar key, ConfigNode value)
    {
        if (transformers.Find(key.Value ?? "") is not { } factory)
        {
            return;
        }
        var options = StepOptions.Of(key, value, factory.OptionsSchema);
        if (!SchemaValidator.IsValid(factory.OptionsSchema, options, endpointIds, scalars))
        {
            return;
        }
        try
        {
            factory.Create(options, context);
        }
        catch (ConfigException e)
        {
            diagnostics.Error(e.Mark == SourceMark.None ? key.Mark : e.Mark, e.Message);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException))
        {
            // A factory should throw ConfigException; anything else is still the user's options failing, so say so rather than crash validate.
            diagnostics.Error(key.Mark, $"transformer '{factory.Name}' cannot be built from these options: {e.Message}");
        }
    }
}
