using System.Text;
using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Messages;

namespace Router.Transformers.Tests.CommerceML;

/// <summary>The real 1C files under shared/fixtures/commerceml, wrapped as the folder endpoint would hand them over.</summary>
internal static class CommerceMLFixtures
{
    public const string Import204 = "01_irpsv_off-doc-1c_import_2.04.xml";
    public const string Offers204 = "02_irpsv_off-doc-1c_offers_2.04.xml";
    public const string Import207 = "04_carono_import_2.07.xml";
    public const string Offers207 = "05_carono_offers_2.07.xml";
    public const string Ut11Import = "08_dobromyslov_ut11_import0_1_2.07.xml";
    public const string Products31 = "10_argentcrusade_products_3.1.xml";

    public static readonly string[] ImportFiles = [Import204, Import207, Ut11Import, Products31];
    public static readonly string[] OffersFiles = [Offers204, Offers207];

    /// <summary>shared/ sits next to the repository root, the folder holding Router.sln.</summary>
    public static string Directory { get; } = Find();

    public static Envelope File(string name) => Envelope(name, ReadText(name));

    /// <summary>Decodes as the folder endpoint does: UTF-8, with any BOM removed by the decoder.</summary>
    public static string ReadText(string name) => System.IO.File.ReadAllText(Path.Combine(Directory, name), Encoding.UTF8);

    public static Envelope Envelope(string fileName, string text) => new()
    {
        MessageId = "file-1",
        Type = MessageTypes.FileReceived,
        Source = "1c-exchange",
        CorrelationId = "corr-1",
        OccurredAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
        Payload = JsonSerializer.SerializeToElement(new { fileName, text }, RouterJson.Options),
    };

    public static Product Product(Envelope envelope) => RouterJson.Deserialize<Product>(envelope.Payload.GetRawText());

    public static Offer Offer(Envelope envelope) => RouterJson.Deserialize<Offer>(envelope.Payload.GetRawText());

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Router.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "commerceml"));
                if (System.IO.Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        const string fallback = "/work/shared/fixtures/commerceml";
        return System.IO.Directory.Exists(fallback)
            ? fallback
            : throw new DirectoryNotFoundException("shared/fixtures/commerceml not found next to the folder holding Router.sln");
    }
}
