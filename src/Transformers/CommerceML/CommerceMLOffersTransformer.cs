using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.CommerceML;

/// <summary>One catalog.offer per Предложение of an offers, prices or rests file.</summary>
internal sealed class CommerceMLOffersTransformer(long maxCharacters, PriceTypeMapping mapping) : ITransformer
{
    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        var file = CommerceMLInput.From(input, CommerceMLOffersTransformerFactory.TransformerName);
        return OffersPackageReader.Read(file, maxCharacters, mapping)
            .Select(o => CommerceMLEnvelopes.Item(input, MessageTypes.CatalogOffer, "offer", o.Id, o))
            .ToList();
    }
}
