using Router.Core.Messages;

namespace Router.Transformers.CommerceML;

/// <summary>
/// The catalogue split as a lazy sequence over any text source: what <c>commerceml-catalog</c> does to a payload, but
/// able to read a file from disk one product at a time (the benchmark reads 100,000-product files this way).
/// </summary>
public static class CommerceMLCatalogStream
{
    /// <summary>
    /// One <c>catalog.product</c> envelope per Товар, derived from <paramref name="file"/> (ids, correlation) and marked
    /// with <see cref="CommerceMLCatalogTransformer.FullCatalogHeader"/>. XML errors surface while enumerating, as
    /// permanent failures naming <paramref name="fileName"/>, line and position.
    /// </summary>
    public static IEnumerable<Envelope> Envelopes(Envelope file, TextReader text, string fileName, long maxCharacters)
    {
        // Every product of a file carries the same headers; one shared dictionary each way instead of one per product.
        var full = file.WithHeader(CommerceMLCatalogTransformer.FullCatalogHeader, "true").Headers;
        var partial = file.WithHeader(CommerceMLCatalogTransformer.FullCatalogHeader, "false").Headers;
        return CatalogImportReader.Read(text, fileName, maxCharacters)
            .Select(item => CommerceMLEnvelopes.Item(file, MessageTypes.CatalogProduct, "product", item.Product.Id, item.Product) with
            {
                Headers = item.FullCatalog ? full : partial,
            });
    }
}
