using System.Xml;
using System.Xml.Linq;
using Router.Core.Failures;

namespace Router.Endpoints.OneCHttp.Sale;

/// <summary>One CommerceML <c>Документ</c> waiting for 1C, keyed by its order number so a re-delivery replaces it.</summary>
public sealed record SaleDocument(string Number, string Xml)
{
    public const string RootName = "КоммерческаяИнформация";
    public const string DocumentName = "Документ";

    /// <summary>
    /// The documents of a CommerceML file (what <c>commerceml-order</c> writes): each <c>Документ</c> under the root,
    /// named by <c>Номер</c> (or <c>Ид</c>). Default namespaces are ignored, DTDs refused.
    /// </summary>
    public static IReadOnlyList<SaleDocument> Parse(string text, string what)
    {
        var documents = new List<SaleDocument>();
        try
        {
            using var reader = XmlReader.Create(new StringReader(text.TrimStart('\uFEFF')), SafeSettings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != RootName)
            {
                throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{what}: the root element is <{reader.LocalName}>, not <{RootName}>");
            }
            var depth = reader.Depth;
            reader.Read();
            while (!reader.EOF && reader.Depth > depth)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == DocumentName)
                {
                    var element = (XElement)XNode.ReadFrom(reader);
                    documents.Add(new SaleDocument(NumberOf(element, what), element.ToString(SaveOptions.DisableFormatting)));
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (XmlException ex)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{what}: malformed XML at line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}", ex);
        }
        return documents.Count > 0
            ? documents
            : throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{what}: no <{DocumentName}> under <{RootName}>; nothing to offer 1C");
    }

    public static readonly XmlReaderSettings SafeSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    private static string NumberOf(XElement document, string what)
    {
        var number = Child(document, "Номер") ?? Child(document, "Ид");
        return string.IsNullOrWhiteSpace(number)
            ? throw new PermanentFailureException(ErrorCodes.MalformedInput, $"{what}: a <{DocumentName}> has neither <Номер> nor <Ид>, so 1C could not tell it from the others")
            : number.Trim();
    }

    private static string? Child(XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;
}
