namespace Router.Endpoints.Http;

/// <summary>
/// Header names whose values are credentials even when the YAML wrote them as plain text: masking them too costs
/// nothing, printing one costs a rotated key.
/// </summary>
public static class SensitiveHeaders
{
    private static readonly HashSet<string> Exact = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key", "Api-Key", "X-Auth-Token", "X-Access-Token",
    };

    private static readonly string[] Fragments = ["token", "secret", "password", "apikey", "api-key", "signature"];

    public static bool LooksSecret(string name) =>
        Exact.Contains(name) || Fragments.Any(f => name.Contains(f, StringComparison.OrdinalIgnoreCase));
}
