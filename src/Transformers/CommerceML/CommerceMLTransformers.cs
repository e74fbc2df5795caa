using Router.Core.Transformers;

namespace Router.Transformers.CommerceML;

/// <summary>The transformers that read 1C's CommerceML exchange files; the host registers them.</summary>
public static class CommerceMLTransformers
{
    public static IReadOnlyList<ITransformerFactory> All { get; } =
    [
        new CommerceMLCatalogTransformerFactory(),
        new CommerceMLOffersTransformerFactory(),
        new Orders.CommerceMLOrderStatusTransformerFactory(),
        new Orders.CommerceMLOrderTransformerFactory(),
    ];
}
