using System.Text;

namespace Router.Endpoints.Shared;

/// <summary>
/// The text encodings sources use here (1C still writes windows-1251), as strict decoders: a byte that is not valid
/// in the declared encoding is an error, never a silent replacement character in an order.
/// </summary>
public static class TextEncodings
{
    public const string Utf8 = "utf-8";
    public const string Windows1251 = "windows-1251";

    public static readonly IReadOnlyList<string> Supported = [Utf8, Windows1251];

    static TextEncodings()
    {
        // .NET Core knows only the Unicode encodings until the code-page provider is registered.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>A decoder that throws on invalid input; null if the name is unknown.</summary>
    public static Encoding? FindStrict(string name)
    {
        try
        {
            var encoding = Encoding.GetEncoding(name.Trim());
            return encoding.CodePage == Encoding.UTF8.CodePage
                ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
                : Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static Encoding Strict(string name) =>
        FindStrict(name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "unknown text encoding");

    /// <summary>
    /// An encoder for text the router writes for people or for 1C's line protocol: a character the encoding lacks
    /// becomes '?', because an answer must go out even when a file name cannot be spelled in windows-1251.
    /// </summary>
    public static Encoding Replacing(string name)
    {
        var encoding = Encoding.GetEncoding(name.Trim());
        return Encoding.GetEncoding(encoding.CodePage, new EncoderReplacementFallback("?"), new DecoderReplacementFallback("?"));
    }

    public static bool IsUtf8(Encoding encoding) => encoding.CodePage == Encoding.UTF8.CodePage;
}
