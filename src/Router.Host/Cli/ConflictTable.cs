using Router.Core.Conflicts;

namespace Router.Host.Cli;

/// <summary>
/// <c>dlq show</c> of a <c>conflict</c> dead letter: per customer, one row per tracked field with its base, platform and
/// 1C values; conflicting rows are marked with <c>!</c> and name the side the strategy would take, if any.
/// </summary>
internal static class ConflictTable
{
    private const int ValueWidth = 30;

    public static void Write(TextWriter o, ConflictReport report, long deadLetterId)
    {
        SyncSides.TryParse(report.Side, out var side);
        o.WriteLine($"  conflict      {report.Entity} from {side.Label()}, strategy {report.Strategy}");
        foreach (var @case in report.Cases)
        {
            o.WriteLine();
            o.WriteLine($"  {@case.EntityKey}  (envelope {@case.MessageId}{(@case.IncomingUpdatedAt is { } at ? $", changed in {side.Label()} at {at:O}" : "")})");
            o.WriteLine($"    base: {@case.Base}; {side.Other().Label()}: the version it has or was last sent");
            var nameWidth = Math.Max(5, @case.Fields.Max(f => f.Field.Length));
            o.WriteLine($"      {"FIELD".PadRight(nameWidth)}  {"SEVERITY",-8}  {"BASE",-ValueWidth}  {"PLATFORM",-ValueWidth}  1C");
            foreach (var field in @case.Fields)
            {
                var mark = field.Conflicting ? "!" : " ";
                var suggestion = field.Conflicting
                    ? field.Suggested is { } s && SyncSides.TryParse(s, out var suggested) ? $"  -> {suggested.Label()} by {report.Strategy}" : "  <- choose"
                    : "";
                o.WriteLine($"    {mark} {field.Field.PadRight(nameWidth)}  {field.Severity,-8}  {Cell(field.Base)}  {Cell(field.Platform)}  {Cell(field.Onec)}{suggestion}".TrimEnd());
            }
        }
        o.WriteLine();
        o.WriteLine("  ! both sides changed the field since the base, to different values");
        if (report.FieldsNeedingChoice.Count > 0)
        {
            o.WriteLine($"  Resolve: ./router dlq replay {deadLetterId} --take platform|onec   (or per field: --field {report.FieldsNeedingChoice[0]}=onec)");
        }
        else
        {
            o.WriteLine($"  Resolve: ./router dlq replay {deadLetterId}   (the strategy settles every field; --take or --field overrides it)");
        }
        o.WriteLine($"  Drop it: ./router dlq delete {deadLetterId}   (not applied: the agreed values stay; parked messages for the customer go on)");
    }

    private static string Cell(System.Text.Json.JsonElement? value)
    {
        var text = FieldValues.Display(value).ReplaceLineEndings(" ");
        return (text.Length <= ValueWidth ? text : text[..(ValueWidth - 1)] + "…").PadRight(ValueWidth);
    }
}
