using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>One order.status per order Документ of a file 1C sent back.</summary>
internal sealed class CommerceMLOrderStatusTransformer(long maxCharacters, TimeSpan offset) : ITransformer
{
    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        var file = CommerceMLInput.From(input, CommerceMLOrderStatusTransformerFactory.TransformerName);
        return OrderDocumentsReader.Read(file, maxCharacters, offset)
            .Select(d => CommerceMLEnvelopes.Item(input, MessageTypes.OrderStatus, "order", d.Status.OrderNumber, d.Status)
                with { EntityVersion = d.Version })
            .ToList();
    }
}
