using System.Xml;
using System.Xml.Linq;
using Router.Core.Failures;

namespace Router.Transformers.CommerceML;

/// <summary>
/// The one place CommerceML text becomes an <see cref="XmlReader"/>: hardened settings, and XML errors turned into
/// permanent failures that name the file and the line, so an operator can open the file at the broken spot.
/// </summary>
internal static class CommerceXml
{
    /// <summary>Exchange files are produced by 1C and never need a DTD; refusing one blocks XXE and entity bombs.</summary>
    public static XmlReader Open(string text, long maxCharacters) => Open(new StringReader(text), maxCharacters);

    /// <summary>Same settings over any text source, so a large file can be read from disk without holding its text.</summary>
    public static XmlReader Open(TextReader text, long maxCharacters) =>
        XmlReader.Create(text, new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        });

    /// <summary>Runs a reading step, turning XML errors into a permanent failure that names the file and position.</summary>
    public static T Guard<T>(string fileName, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XmlException e)
        {
            throw Failure(fileName, e);
        }
    }

    private static PermanentFailureException Failure(string fileName, XmlException e)
    {
        // Retrying a file over the limit fails the same way, but operators act on it differently (raise maxSize).
        var code = e.Message.Contains(nameof(XmlReaderSettings.MaxCharactersInDocument), StringComparison.Ordinal)
            ? ErrorCodes.TooLarge
            : ErrorCodes.MalformedInput;
        return new PermanentFailureException(code, Describe(fileName, e), e);
    }

    /// <summary>
    /// <see cref="Guard{T}(string, Func{T})"/> for one step of a lazy reader (an iterator cannot catch around a
    /// yield); the state parameter keeps the hot path free of a closure per XML node.
    /// </summary>
    public static TResult Guard<TState, TResult>(string fileName, TState state, Func<TState, TResult> step)
    {
        try
        {
            return step(state);
        }
        catch (XmlException e)
        {
            throw Failure(fileName, e);
        }
    }

    private static string Describe(string fileName, XmlException e)
    {
        var reason = IsDtd(e)
            ? "a DTD is not allowed in a CommerceML file (it could define external or exponentially expanding entities)"
            : StripPosition(e.Message);
        return $"{fileName}: line {e.LineNumber}, position {e.LinePosition}: {reason}";
    }

    private static bool IsDtd(XmlException e) =>
        e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase);

    /// <summary>XmlException appends "Line N, position M." itself; we print the position once, in front.</summary>
    private static string StripPosition(string message)
    {
        var at = message.LastIndexOf(" Line ", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }

    /// <summary>Reads the element the reader is on (and its children) as a small tree, leaving the reader on its end.</summary>
    public static XElement LoadElement(XmlReader reader)
    {
        using var subtree = reader.ReadSubtree();
        return XElement.Load(subtree, LoadOptions.SetLineInfo);
    }

    /// <summary>The first child with this local name: files come with and without the urn:1C.ru:commerceml_* namespace.</summary>
    public static XElement? Child(this XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static IEnumerable<XElement> Children(this XElement element, string localName) =>
        element.Elements().Where(e => e.Name.LocalName == localName);

    /// <summary>The trimmed text of a child, or null when it is missing or empty (1C writes empty elements freely).</summary>
    public static string? ChildText(this XElement element, string localName) =>
        NonEmpty(element.Child(localName)?.Value);

    public static string? AttributeText(this XElement element, string localName) =>
        NonEmpty(element.Attributes().FirstOrDefault(a => a.Name.LocalName == localName)?.Value);

    public static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
