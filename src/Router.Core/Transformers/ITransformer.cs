using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Messages;

namespace Router.Core.Transformers;

/// <summary>
/// A pure conversion: a deterministic function of its input envelope and its YAML options. No I/O, no clock, no
/// randomness, so it runs unchanged in <c>router transform</c>, <c>router preview</c>, a unit test and a route.
/// Returns zero envelopes to drop the message (a filter), several to split it.
/// Throws <see cref="Failures.PermanentFailureException"/> for bad data, naming where in the input it is.
/// </summary>
public interface ITransformer
{
    IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context);
}

/// <summary>Where a transformer runs; for messages and derived ids, never for behaviour that changes the output.</summary>
public sealed record TransformContext(string RouteId, int StepIndex)
{
    public static readonly TransformContext Standalone = new("(standalone)", 0);
}

/// <summary>Builds a transformer from its options under a route step (<c>- name: {options}</c>).</summary>
public interface ITransformerFactory
{
    /// <summary>The step key in YAML, e.g. <c>map</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>router routes</c> and the JSON Schema.</summary>
    string Description { get; }

    /// <summary>The options' schema; validated before <see cref="Create"/> is called.</summary>
    SchemaNode OptionsSchema { get; }

    /// <summary>
    /// Creates the transformer. Options passed schema validation; remaining problems (an expression that does not
    /// parse, a schema file that cannot be read) are thrown as <see cref="Config.ConfigException"/> with the node's mark.
    /// </summary>
    ITransformer Create(ConfigNode options, TransformerCreationContext context);
}

/// <summary>What a factory may use while building: where the config file is (for relative paths) and the file system.</summary>
public sealed record TransformerCreationContext(string BaseDirectory, System.IO.Abstractions.IFileSystem FileSystem);

public sealed class TransformerRegistry
{
    private readonly Dictionary<string, ITransformerFactory> factories = new(StringComparer.Ordinal);

    public TransformerRegistry(IEnumerable<ITransformerFactory> factories)
    {
        foreach (var factory in factories)
        {
            if (!this.factories.TryAdd(factory.Name, factory))
            {
                throw new InvalidOperationException($"two transformers are called '{factory.Name}'");
            }
        }
    }

    public IReadOnlyCollection<ITransformerFactory> All => factories.Values;

    public ITransformerFactory? Find(string name) => factories.GetValueOrDefault(name);
}
