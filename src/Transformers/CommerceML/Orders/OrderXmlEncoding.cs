namespace Router.Transformers.CommerceML.Orders;

/// <summary>
/// The encoding the written file is declared in. The text stays a .NET string; the writing endpoint encodes it with
/// the name carried in the payload, so declaration and bytes agree.
/// </summary>
internal static class OrderXmlEncoding
{
    public const string Utf8 = "utf-8";

    /// <summary>Legacy 1C 7.7 / Bitrix-era configurations read only this.</summary>
    public const string Windows1251 = "windows-1251";

    public static readonly string[] All = [Utf8, Windows1251];
}
