using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Transformers;

namespace Router.Transformers.CommerceML;

/// <summary>
/// <c>- commerceml-offers: { priceTypes: { Розничная: retail }, onlyMappedPriceTypes, maxSize }</c>: splits a 1C
/// offers/prices/rests file into one catalog.offer per Предложение.
/// </summary>
public sealed class CommerceMLOffersTransformerFactory : ITransformerFactory
{
    public const string TransformerName = "commerceml-offers";

    public string Name => TransformerName;

    public string Description => "splits a CommerceML offers/prices/rests file (ПакетПредложений) into one catalog.offer per Предложение";

    public SchemaNode OptionsSchema { get; } = new ObjectSchema(
        new PropertySchema("priceTypes", new MapSchema(new StringSchema())
        {
            Description = "1C price type name or Ид → our price code, e.g. { Розничная: retail, Оптовая1: wholesale1 }",
        }),
        new PropertySchema("onlyMappedPriceTypes", new BooleanSchema
        {
            Default = false,
            Description = "drop prices whose type is not in priceTypes instead of keeping them under the 1C name",
        }),
        CommerceMLOptions.MaxSize);

    public ITransformer Create(ConfigNode options, TransformerCreationContext context)
    {
        var mapping = CommerceMLOptions.AsMapping(options, TransformerName);
        var priceTypes = new PriceTypeMapping(
            mapping?.GetStringMap("priceTypes") ?? [],
            mapping?.GetBool("onlyMappedPriceTypes", false) ?? false);
        return new CommerceMLOffersTransformer(CommerceMLOptions.ReadMaxSize(mapping), priceTypes);
    }
}
