namespace Router.Core.Config.Secrets;

/// <summary>
/// The last line of defence: diagnostics are written not to echo secret values, but factory messages are not ours,
/// so every message is scrubbed of every secret value seen while loading.
/// </summary>
internal sealed class SecretRedactor
{
    /// <summary>Shorter values would mangle ordinary words in messages; real secrets are longer.</summary>
    private const int MinimumLength = 4;

    private readonly HashSet<string> values = new(StringComparer.Ordinal);

    public void Add(string? value)
    {
        if (value is { Length: >= MinimumLength })
        {
            values.Add(value);
        }
    }

    public string Redact(string message)
    {
        foreach (var value in values.OrderByDescending(v => v.Length))
        {
            message = message.Replace(value, "***", StringComparison.Ordinal);
        }
        return message;
    }
}
