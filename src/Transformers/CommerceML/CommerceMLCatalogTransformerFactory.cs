using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Transformers;

namespace Router.Transformers.CommerceML;

/// <summary><c>- commerceml-catalog: { maxSize }</c>: splits a 1C import file into one catalog.product per Товар.</summary>
public sealed class CommerceMLCatalogTransformerFactory : ITransformerFactory
{
    public const string TransformerName = "commerceml-catalog";

    public string Name => TransformerName;

    public string Description => "splits a CommerceML 2.x/3.1 import file (Классификатор + Каталог) into one catalog.product per Товар";

    public SchemaNode OptionsSchema { get; } = new ObjectSchema(CommerceMLOptions.MaxSize);

    public ITransformer Create(ConfigNode options, TransformerCreationContext context) =>
        new CommerceMLCatalogTransformer(CommerceMLOptions.ReadMaxSize(CommerceMLOptions.AsMapping(options, TransformerName)));
}
