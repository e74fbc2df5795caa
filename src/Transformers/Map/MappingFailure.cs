using System.Text.Json;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Transformers.Map;

/// <summary>The messages a failed mapping reports: which output field, from which expression, and what value was there.</summary>
internal static class MappingFailure
{
    private const int MaxValueLength = 80;

    public static PermanentFailureException Required(FieldPath field, string source) =>
        new(MappingErrorCodes.MappingFailed, $"map: '{field}' is required, but {source} gave nothing");

    public static PermanentFailureException Conversion(FieldPath field, string source, JsonElement value, string conversion, string reason) =>
        new(MappingErrorCodes.MappingFailed, $"map: '{field}' (from {source}): cannot convert {Show(value)} to {conversion}: {reason}");

    public static PermanentFailureException NotAList(FieldPath field, string each, JsonElement value) =>
        new(MappingErrorCodes.MappingFailed, $"map: '{field}' (each: {each}): expected a list, got {Show(value)}");

    public static PermanentFailureException Expression(FieldPath field, PermanentFailureException inner) =>
        new(inner.Code, $"map: '{field}': {inner.Message}", inner);

    /// <summary>The value as JSON, cut short: enough to recognise it in a dead letter without copying a whole payload.</summary>
    public static string Show(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.Undefined ? "nothing" : JsonSerializer.Serialize(value, RouterJson.Options);
        return text.Length <= MaxValueLength ? text : text[..MaxValueLength] + "…";
    }
}
