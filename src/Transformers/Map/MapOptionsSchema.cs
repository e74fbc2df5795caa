using Router.Core.Config.Schema;

namespace Router.Transformers.Map;

/// <summary>The YAML shape of <c>- map: {…}</c>.</summary>
internal static class MapOptionsSchema
{
    /// <summary>
    /// How deep <c>fields</c> may nest. The schema language has no references, so the field schema is repeated
    /// this many times; deeper levels are still read, and checked, by <see cref="MapDefinitionReader"/>.
    /// </summary>
    public const int DescribedDepth = 6;

    public static readonly ObjectSchema Options = new(
        new PropertySchema("type", new StringSchema
        {
            Format = StringFormat.MessageType,
            Description = "the output envelope's type; the input's type when not set",
        }),
        new PropertySchema("entityKey", new StringSchema
        {
            Format = StringFormat.Expression,
            Description = "the output's entity key, e.g. \"'order:' + $.number\"; evaluated over the mapped payload",
        }),
        new PropertySchema("entityVersion", new StringSchema
        {
            Format = StringFormat.Expression,
            Description = "the output's entity version (an integer or a date-time); evaluated over the mapped payload",
        }),
        new PropertySchema("keepNulls", new BooleanSchema
        {
            Default = false,
            Description = "write missing optional values as null instead of leaving them out",
        }),
        new PropertySchema("fields", Fields(1)) { Required = true });

    private static MapSchema Fields(int depth) => new(Field(depth))
    {
        Description = "output field name → a '$' expression, a constant, or a mapping such as { path: $.sum, convert: decimal }",
    };

    private static ShapeChoiceSchema Field(int depth) => new()
    {
        Scalar = new AnySchema { Description = "text starting with '$' is an expression ('$$' for a literal '$'); anything else is a constant" },
        Mapping = FieldMapping(depth),
    };

    private static ObjectSchema FieldMapping(int depth) => new(
        new PropertySchema("path", new StringSchema
        {
            Format = StringFormat.Expression,
            Description = "where the value comes from: a path such as $.client.tel, or a JavaScript expression",
        }),
        new PropertySchema("const", new AnySchema { Description = "a constant value (any YAML)" }),
        new PropertySchema("format", new StringSchema { Description = "text with embedded expressions: \"Заказ №{$.number}\"" }),
        new PropertySchema("fields", depth < DescribedDepth
            ? Fields(depth + 1)
            : new AnySchema { Description = "nested fields (deeper levels are checked when the route is built)" }),
        new PropertySchema("each", new StringSchema
        {
            Format = StringFormat.Expression,
            Description = "a list to map item by item; inside, $ is the item and $root the whole payload",
        }),
        new PropertySchema("convert", new StringSchema { Enum = ConversionNames.All }),
        new PropertySchema("required", new BooleanSchema { Default = false, Description = "a missing value fails the message" }),
        new PropertySchema("default", new AnySchema { Description = "the value when the source gives nothing" }));
}
