using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.CommerceML;

/// <summary>One catalog.product per Товар of an import file, each marked with whether the file is a full catalogue.</summary>
internal sealed class CommerceMLCatalogTransformer(long maxCharacters) : ITransformer
{
    /// <summary>Lets a consumer deactivate products missing from a full export, and only from a full one.</summary>
    public const string FullCatalogHeader = "commerceml-full-catalog";

    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        var file = CommerceMLInput.From(input, CommerceMLCatalogTransformerFactory.TransformerName);
        return CommerceMLCatalogStream.Envelopes(input, new StringReader(file.Text), file.FileName, maxCharacters).ToList();
    }
}
