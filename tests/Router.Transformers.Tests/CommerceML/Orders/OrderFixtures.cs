using System.Text;
using Router.Core.Messages;

namespace Router.Transformers.Tests.CommerceML.Orders;

/// <summary>The real order files of shared/fixtures/commerceml, decoded in the encoding each one declares.</summary>
internal static class OrderFixtures
{
    public const string Orders203 = "03_irpsv_off-doc-1c_orders_2.03.xml";
    public const string Orders203Cp1251 = "06_carono_orders_2.03_cp1251.xml";
    public const string BitrixQuery205 = "07_dobromyslov_bitrix-sale-query-response_2.05_cp1251.xml";
    public const string Documents209 = "09_argentcrusade_documents_2.09.xml";

    public static Envelope Utf8(string name) => CommerceMLFixtures.File(name);

    /// <summary>The folder endpoint decodes by the declaration; these two are windows-1251.</summary>
    public static Envelope Cp1251(string name)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = File.ReadAllBytes(Path.Combine(CommerceMLFixtures.Directory, name));
        return CommerceMLFixtures.Envelope(name, Encoding.GetEncoding(1251).GetString(bytes));
    }
}
