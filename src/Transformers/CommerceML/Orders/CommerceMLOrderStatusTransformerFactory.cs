using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Transformers;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>
/// <c>- commerceml-order-status: { offset, maxSize }</c>: splits an orders file 1C sent back into one order.status
/// per Документ "Заказ товара".
/// </summary>
public sealed class CommerceMLOrderStatusTransformerFactory : ITransformerFactory
{
    public const string TransformerName = "commerceml-order-status";

    public string Name => TransformerName;

    public string Description => "splits a CommerceML orders file from 1C into one order.status per Документ \"Заказ товара\"";

    public SchemaNode OptionsSchema { get; } = new ObjectSchema(OrderOptions.Offset, CommerceMLOptions.MaxSize);

    public ITransformer Create(ConfigNode options, TransformerCreationContext context)
    {
        var mapping = CommerceMLOptions.AsMapping(options, TransformerName);
        return new CommerceMLOrderStatusTransformer(CommerceMLOptions.ReadMaxSize(mapping), OrderOptions.ReadOffset(mapping));
    }
}
