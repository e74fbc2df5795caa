namespace Router.Core.Config.Secrets;

/// <summary>Key names whose values are treated as secrets even when written inline (so they are masked like references).</summary>
internal static class SecretKeys
{
    private static readonly HashSet<string> Exact = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "secret", "secretKey", "token", "apiKey", "passphrase", "privateKey",
        // An HTTP header written inline under headers: carries the credentials themselves.
        "authorization",
    };

    private static readonly string[] Suffixes = ["password", "secret", "token"];

    public static bool IsSecretLike(string key) =>
        Exact.Contains(key)
        || Suffixes.Any(s => key.EndsWith(s, StringComparison.OrdinalIgnoreCase))
        || key.StartsWith("secret", StringComparison.OrdinalIgnoreCase);
}
