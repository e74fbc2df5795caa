using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Messages;
using Router.Transformers.Map;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.Map;

public class MapOptionsTests
{
    private static ConfigException ConfigError(string optionsYaml) =>
        Assert.Throws<ConfigException>(() => Steps.Create(new MapTransformerFactory(), optionsYaml))!;

    [Test]
    public void A_path_that_does_not_parse_is_reported_at_its_node_with_the_column_in_the_expression()
    {
        var error = ConfigError("""
            fields:
              number: $.orderNumber
              total: { path: "$.sum * * 2", convert: decimal }
            """);

        Assert.That(error.Mark, Is.EqualTo(new SourceMark(Yaml.FileName, 3, 18)));
        Assert.That(error.Message, Does.Contain("fields.total.path").And.Contain("$.sum * * 2").And.Contain("at column 9"));
    }

    [Test]
    public void A_short_expression_that_does_not_parse_is_reported_at_its_scalar()
    {
        var error = ConfigError("fields:\n  a: $.x\n  b: \"$.y +\"\n");

        Assert.That(error.Mark, Is.EqualTo(new SourceMark(Yaml.FileName, 3, 6)));
        Assert.That(error.Message, Does.Contain("fields.b"));
    }

    [TestCase("entityKey: \"'order:' + \"\nfields: { a: $.x }", 1, 12)]
    [TestCase("entityVersion: $.v +\nfields: { a: $.x }", 1, 16)]
    [TestCase("fields:\n  lines: { each: \"$.items.filter(\", fields: { a: $.x } }", 2, 18)]
    public void Other_expressions_that_do_not_parse_are_reported_at_their_node(string yaml, int line, int column)
    {
        Assert.That(ConfigError(yaml).Mark, Is.EqualTo(new SourceMark(Yaml.FileName, line, column)));
    }

    [TestCase("fields: { a: { format: \"№{$.number\" } }", "never closed")]
    [TestCase("fields: { a: { format: \"№ $.number}\" } }", "closes nothing")]
    [TestCase("fields: { a: { format: \"№{$.number +}\" } }", "cannot parse expression")]
    public void A_format_that_does_not_parse_is_a_config_error(string yaml, string reason)
    {
        var error = ConfigError(yaml);

        Assert.That(error.Mark.Line, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("fields.a.format").And.Contain(reason));
    }

    [TestCase("fields: { a: { path: $.x, const: 1 } }", "not from path and const")]
    [TestCase("fields: { a: { convert: int } }", "needs a value")]
    [TestCase("fields: { a: { path: $.x, convert: integer } }", "unknown conversion 'integer'")]
    [TestCase("fields: { a: { fields: { b: $.x }, convert: int } }", "convert applies to single values")]
    [TestCase("fields: { a: { path: $.x, required: true, default: 0 } }", "a default would never be used")]
    [TestCase("fields: { a: { pth: $.x } }", "unknown key 'pth'")]
    [TestCase("fields: { a: [1, 2] }", "for a constant list write { const: [...] }")]
    [TestCase("fields: { a: { fields: [1] } }", "must be a mapping of field names")]
    [TestCase("type: order.made\nfields: { a: $.x }", "'order.made' is not a message type")]
    [TestCase("keepNulls: true", "'fields' is required")]
    public void Contradictory_or_unknown_options_are_config_errors(string yaml, string reason)
    {
        Assert.That(ConfigError(yaml).Message, Does.Contain(reason));
    }

    [Test]
    public void Options_that_are_not_a_mapping_are_a_config_error()
    {
        Assert.Throws<ConfigException>(() => new MapTransformerFactory().Create(Yaml.Parse("[1, 2]"), Steps.Context()));
    }

    [Test]
    public void Fields_nest_deeper_than_the_schema_describes()
    {
        var yaml = "fields: " + string.Concat(Enumerable.Repeat("{ a: { fields: ", MapOptionsSchema.DescribedDepth + 2))
            + "{ leaf: $.x }" + new string('}', 2 * (MapOptionsSchema.DescribedDepth + 2));

        var output = Steps.Create(new MapTransformerFactory(), yaml).Single(TestMessages.Envelope("""{"x": 1}"""));

        Assert.That(TestMessages.Json(output.Payload), Does.EndWith("""{"leaf":1}""" + new string('}', MapOptionsSchema.DescribedDepth + 2)));
    }

    [Test]
    public void The_schema_offers_exactly_the_conversions_the_reader_accepts()
    {
        var field = FieldMappingSchema((ObjectSchema)new MapTransformerFactory().OptionsSchema);
        var offered = ((StringSchema)field.Find("convert")!.Schema).Enum!;

        Assert.That(offered, Is.EquivalentTo(new[] { "string", "int", "decimal", "bool", "date", "datetime", "upper", "lower", "trim", "phone" }));
        foreach (var name in offered)
        {
            Assert.DoesNotThrow(() => Steps.Create(new MapTransformerFactory(), $"fields: {{ a: {{ path: $.x, convert: {name} }} }}"), name);
        }
    }

    [Test]
    public void The_schema_requires_fields_and_names_expression_options()
    {
        var options = (ObjectSchema)new MapTransformerFactory().OptionsSchema;

        Assert.That(options.Find("fields")!.Required, Is.True);
        Assert.That(((StringSchema)options.Find("entityKey")!.Schema).Format, Is.EqualTo(StringFormat.Expression));
        Assert.That(((StringSchema)options.Find("type")!.Schema).Format, Is.EqualTo(StringFormat.MessageType));
        Assert.That(((StringSchema)FieldMappingSchema(options).Find("each")!.Schema).Format, Is.EqualTo(StringFormat.Expression));
    }

    private static ObjectSchema FieldMappingSchema(ObjectSchema options) =>
        (ObjectSchema)((ShapeChoiceSchema)((MapSchema)options.Find("fields")!.Schema).Values).Mapping!;
}
