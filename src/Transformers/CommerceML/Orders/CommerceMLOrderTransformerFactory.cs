using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Transformers;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>
/// <c>- commerceml-order: { encoding: utf-8 | windows-1251, offset }</c>: writes a canonical order.created as a
/// CommerceML 2.05 orders file for 1C.
/// </summary>
public sealed class CommerceMLOrderTransformerFactory : ITransformerFactory
{
    public const string TransformerName = "commerceml-order";

    public string Name => TransformerName;

    public string Description => "writes a canonical order.created as a CommerceML 2.05 orders file (one Документ \"Заказ товара\") for 1C";

    public SchemaNode OptionsSchema { get; } = new ObjectSchema(
        new PropertySchema("encoding", new StringSchema
        {
            Enum = OrderXmlEncoding.All,
            Default = OrderXmlEncoding.Utf8,
            Description = "the encoding the file is declared in and the writing endpoint must use; windows-1251 for legacy 1C",
        }),
        OrderOptions.Offset);

    public ITransformer Create(ConfigNode options, TransformerCreationContext context)
    {
        var mapping = CommerceMLOptions.AsMapping(options, TransformerName);
        var encoding = mapping?.GetString("encoding") ?? OrderXmlEncoding.Utf8;
        // The schema lists the values, but a declaration naming an encoding the endpoint cannot write is worth a second guard.
        if (!OrderXmlEncoding.All.Contains(encoding))
        {
            throw new Core.Config.ConfigException(options.Mark, $"{TransformerName}: encoding must be one of {string.Join(", ", OrderXmlEncoding.All)}, not '{encoding}'");
        }
        return new CommerceMLOrderTransformer(encoding, OrderOptions.ReadOffset(mapping));
    }
}
