namespace Router.Endpoints.Tests.Carriers;

/// <summary>The partner samples in the shared fixtures (api-samples, with SOURCES.md).</summary>
internal static class ApiSamples
{
    public static readonly string Folder = new[] { "/work/shared/fixtures/api-samples", Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/api-samples") }
        .First(Directory.Exists);

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder, name));

    public static IEnumerable<string> Named(string prefix) =>
        Directory.GetFiles(Folder, prefix + "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
}
