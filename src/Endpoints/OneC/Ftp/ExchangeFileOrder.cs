using Router.Endpoints.Folder;

namespace Router.Endpoints.OneC.Ftp;

/// <summary>
/// The order 1C's exchange files must be applied in: catalogues (<c>import*.xml</c>: groups, properties, products)
/// before everything that refers to their products (<c>offers*</c>, <c>prices*</c>, <c>rests*</c>). Package numbers
/// (<c>import0_1.xml</c>) and CML 3 split names (<c>import___&lt;guid&gt;.xml</c>) do not tie an offers file to its
/// import by name (the GUIDs differ), so every import of a poll goes first, then the rest, each by name.
/// </summary>
public static class ExchangeFileOrder
{
    public static IReadOnlyList<FileObservation> Sort(IEnumerable<FileObservation> files) =>
        files.OrderBy(f => IsCatalogue(f.Name) ? 0 : 1)
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    public static bool IsCatalogue(string fileName) => fileName.StartsWith("import", StringComparison.OrdinalIgnoreCase);
}
