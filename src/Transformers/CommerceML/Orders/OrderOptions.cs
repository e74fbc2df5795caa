using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>Options the two order transformers share.</summary>
internal static class OrderOptions
{
    public static readonly PropertySchema Offset = new("offset", new StringSchema
    {
        Default = "+03:00",
        Pattern = @"^[+-]\d\d:\d\d$",
        PatternDescription = "an offset like +03:00",
        Description = "the UTC offset of the 1C infobase: CommerceML dates carry none",
    });

    public static TimeSpan ReadOffset(ConfigMapping? options) =>
        options?.GetString("offset") is { } text ? CommerceDates.ParseOffset(text) : CommerceDates.DefaultOffset;
}
