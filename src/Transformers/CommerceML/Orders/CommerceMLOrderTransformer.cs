using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>An order.created becomes the CommerceML file 1C imports, carried as { fileName, encoding, text }.</summary>
internal sealed class CommerceMLOrderTransformer(string encoding, TimeSpan offset) : ITransformer
{
    private readonly OrderDocumentWriter writer = new(offset);

    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        var order = OrderReader.Read(input);
        var fileName = $"orders-{FileNames.Safe(order.Number)}.xml";
        var text = writer.Write(order, input.OccurredAt, encoding);
        var output = input with
        {
            Type = MessageTypes.OrderCreated,
            Payload = RouterJson.ToElement(new { fileName, encoding, text }),
        };
        return [output.WithHeader("content-type", "application/xml").WithHeader("file-name", fileName)];
    }
}
