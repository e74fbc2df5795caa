using Router.Core.Config.Nodes;
using Router.Core.Conflicts;

namespace Router.Core.Config.Validation;

/// <summary>
/// Routes that name the same conflict entity share one record of it per key, so they must compare the same fields
/// (severities may differ: each direction may weigh a field its own way). A lone direction is worth a warning: with
/// nothing coming the other way there is nothing to conflict with.
/// </summary>
internal sealed class ConflictChecks(ConfigCatalog catalog, DiagnosticBag diagnostics)
{
    public void Run()
    {
        var routes = catalog.Routes
            .Select(r => (Route: r, Conflicts: r.Node["conflicts"] as ConfigMapping))
            .Where(r => r.Conflicts is not null)
            .Select(r => (r.Route, Conflicts: r.Conflicts!, Entity: (r.Conflicts!["entity"] as ConfigScalar)?.Value ?? ConflictPolicy.DefaultEntity))
            .ToList();
        foreach (var entity in routes.GroupBy(r => r.Entity, StringComparer.Ordinal))
        {
            var first = entity.First();
            var firstFields = FieldNames(first.Conflicts);
            foreach (var other in entity.Skip(1))
            {
                var fields = FieldNames(other.Conflicts);
                if (!fields.SetEquals(firstFields))
                {
                    var mark = (other.Conflicts.KeyNode("fields") ?? other.Conflicts.KeyNode("side") ?? other.Route.IdNode).Mark;
                    diagnostics.Error(mark,
                        $"routes '{first.Route.Id}' and '{other.Route.Id}' share the conflict entity '{entity.Key}' but compare different fields " +
                        $"({Describe(firstFields)} vs {Describe(fields)}); list the same fields on both (severities may differ)");
                }
            }
            var sides = entity.Select(r => (r.Conflicts["side"] as ConfigScalar)?.Value).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            if (sides.Count == 1)
            {
                diagnostics.Warning(first.Conflicts.Mark,
                    $"every route of the conflict entity '{entity.Key}' comes from '{sides[0]}': with nothing coming from the other side there is nothing to conflict with");
            }
        }
    }

    private static HashSet<string> FieldNames(ConfigMapping conflicts) =>
        conflicts["fields"] is ConfigMapping fields
            ? fields.Keys.ToHashSet(StringComparer.Ordinal)
            : ConflictPolicy.DefaultFields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    private static string Describe(HashSet<string> fields) => string.Join(", ", fields.Order(StringComparer.Ordinal));
}
