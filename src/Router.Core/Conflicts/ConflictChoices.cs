using Router.Core.Messages;

namespace Router.Core.Conflicts;

/// <summary>
/// A person's decision on a <c>conflict</c> dead letter: a side to take for every conflicting field
/// (<c>--take onec</c>) and/or a side per field (<c>--field email=platform</c>, which wins over <c>--take</c>).
/// Travels with the replayed message as a header, so the route stage applies exactly what was chosen.
/// </summary>
public sealed record ConflictChoices
{
    public SyncSide? Take { get; init; }

    public IReadOnlyDictionary<string, SyncSide> Fields { get; init; } = new Dictionary<string, SyncSide>(StringComparer.Ordinal);

    public bool IsEmpty => Take is null && Fields.Count == 0;

    /// <summary>The side chosen for <paramref name="field"/>, if any.</summary>
    public SyncSide? For(string field) => Fields.TryGetValue(field, out var side) ? side : Take;

    /// <summary>The conflicting fields of <paramref name="report"/> that neither the choices nor the strategy settle.</summary>
    public static IReadOnlyList<string> Missing(ConflictReport report, ConflictChoices? choices) =>
        report.FieldsNeedingChoice.Where(field => choices?.For(field) is null).ToList();

    /// <summary>"take onec; email=platform", for the replay history and the journal.</summary>
    public override string ToString() =>
        string.Join("; ", new[] { Take is { } t ? $"take {t.Name()}" : null }
            .Concat(Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value.Name()}"))
            .OfType<string>());

    public string ToHeader() => RouterJson.Serialize(new Wire(Take?.Name(), Fields.ToDictionary(f => f.Key, f => f.Value.Name(), StringComparer.Ordinal)));

    /// <summary>The choices a replayed message carries, or null. A header that does not parse is a bug upstream, not data: it throws.</summary>
    public static ConflictChoices? FromHeader(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }
        var wire = RouterJson.Deserialize<Wire>(header);
        return new ConflictChoices
        {
            Take = wire.Take is null ? null : Parse(wire.Take),
            Fields = (wire.Fields ?? []).ToDictionary(f => f.Key, f => Parse(f.Value), StringComparer.Ordinal),
        };
    }

    private static SyncSide Parse(string text) =>
        SyncSides.TryParse(text, out var side) ? side : throw new FormatException($"'{text}' is not a side (platform or onec)");

    private sealed record Wire(string? Take, Dictionary<string, string>? Fields);
}
