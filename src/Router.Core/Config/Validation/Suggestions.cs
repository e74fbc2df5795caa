namespace Router.Core.Config.Validation;

/// <summary>"Did you mean" hints for misspelt keys, ids, kinds and enum values.</summary>
internal static class Suggestions
{
    /// <summary>The closest candidate to <paramref name="written"/>, or null when none is plausibly what was meant.</summary>
    public static string? Closest(string written, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var lowered = written.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            if (candidate == written)
            {
                continue;
            }
            var distance = Distance(lowered, candidate.ToLowerInvariant());
            // A third of the word may be wrong: catches typos and transpositions without suggesting unrelated names.
            var allowed = Math.Max(1, Math.Max(written.Length, candidate.Length) / 3);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>" (did you mean 'x'?)", or empty.</summary>
    public static string DidYouMean(string written, IEnumerable<string> candidates) =>
        Closest(written, candidates) is { } match ? $" (did you mean '{match}'?)" : "";

    /// <summary>Edit distance counting an adjacent transposition as one edit (optimal string alignment).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
