namespace Router.Transformers.Map;

/// <summary>Error codes of the <c>map</c> transformer, for grouping dead letters.</summary>
public static class MappingErrorCodes
{
    /// <summary>A required value is missing, a conversion failed, or <c>each</c> did not give a list.</summary>
    public const string MappingFailed = "mapping-failed";
}
