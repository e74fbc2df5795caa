using System.IO.Abstractions.TestingHelpers;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;
using Router.Transformers.Tests.Support;
using Router.Transformers.Validate;

namespace Router.Transformers.Tests.Validate;

public class ValidateTransformerTests
{
    private const string OrderSchema = """
        {
          "$id": "https://router.local/schemas/order.json",
          "type": "object",
          "required": ["number", "customer"],
          "properties": {
            "number": { "type": "string" },
            "total": { "type": "number", "minimum": 0 },
            "customer": { "$ref": "#/$defs/customer" },
            "lines": { "type": "array", "items": { "type": "object", "required": ["sku", "qty"] } }
          },
          "$defs": {
            "customer": {
              "type": "object",
              "required": ["phone", "email"],
              "properties": { "email": { "type": "string", "format": "email" } }
            }
          }
        }
        """;

    private const string ValidOrder = """
        {"number": "1001", "total": 1234.56, "customer": {"phone": "+79161234567", "email": "ivan@example.ru"}, "lines": [{"sku": "A", "qty": 1}]}
        """;

    private static MockFileSystem Files() => new(new Dictionary<string, MockFileData>
    {
        ["/config/schemas/order.schema.json"] = new(OrderSchema),
        ["/config/schemas/broken.json"] = new("{ \"type\": "),
        ["/config/schemas/bad-type.json"] = new("""{ "type": "objekt" }"""),
        ["/config/schemas/list.json"] = new("[1, 2]"),
        ["/config/schemas/remote.json"] = new("""{ "properties": { "a": { "$ref": "https://example.org/a.json" } } }"""),
    });

    private static ITransformer Create(string optionsYaml) => Steps.Create(new ValidateTransformerFactory(), optionsYaml, Files());

    private static PermanentFailureException Violation(string optionsYaml, string payload)
    {
        var failure = Assert.Throws<PermanentFailureException>(() => Create(optionsYaml).Transform(TestMessages.Envelope(payload), TransformContext.Standalone))!;
        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.SchemaViolation));
        return failure;
    }

    [Test]
    public void A_payload_that_matches_passes_unchanged()
    {
        var input = TestMessages.Envelope(ValidOrder);

        var output = Create("schema: ./schemas/order.schema.json").Transform(input, TransformContext.Standalone);

        Assert.That(output.Single(), Is.SameAs(input));
    }

    [Test]
    public void A_violation_lists_each_failing_location_and_its_error()
    {
        const string payload = """
            {"number": 1001, "total": -1, "customer": {"email": "ivan@example.ru"}, "lines": [{"sku": "A", "qty": 1}, {"sku": "B"}]}
            """;

        var failure = Violation("schema: ./schemas/order.schema.json", payload);

        Assert.That(failure.Message, Does.StartWith("the payload does not match schema './schemas/order.schema.json': "));
        Assert.That(failure.Message, Does.Contain("/customer/phone: required property missing"));
        Assert.That(failure.Message, Does.Contain("/lines/1/qty: required property missing"));
        Assert.That(failure.Message, Does.Contain("/number: "));
        Assert.That(failure.Message, Does.Contain("/total: "));
        Assert.That(failure.Message, Does.Not.Contain("/customer/email"));
    }

    [Test]
    public void Missing_properties_at_the_top_are_named_by_their_own_location()
    {
        var failure = Violation("schema: ./schemas/order.schema.json", """{"total": 5}""");

        Assert.That(failure.Message, Does.Contain("/number: required property missing; /customer: required property missing"));
    }

    [Test]
    public void Formats_are_checked()
    {
        var failure = Violation("schema: ./schemas/order.schema.json",
            """{"number": "1", "customer": {"phone": "+79161234567", "email": "not an address"}}""");

        Assert.That(failure.Message, Does.Contain("/customer/email: "));
    }

    [Test]
    public void The_list_of_errors_is_capped()
    {
        var lines = string.Join(",", Enumerable.Range(0, 15).Select(_ => "{}"));

        var failure = Violation("schema: ./schemas/order.schema.json", $$"""{"number": "1", "customer": {"phone": "1", "email": "a@b.ru"}, "lines": [{{lines}}]}""");

        Assert.That(failure.Message.Split("; ").Length, Is.EqualTo(SchemaViolationReport.MaxErrors + 1));
        Assert.That(failure.Message, Does.EndWith($"… and {30 - SchemaViolationReport.MaxErrors} more"));
    }

    [Test]
    public void The_same_payload_gives_the_same_message()
    {
        const string payload = """{"number": 5, "lines": [{}, {"sku": 1}]}""";
        var validate = Create("schema: ./schemas/order.schema.json");

        var messages = Enumerable.Range(0, 3)
            .Select(_ => Assert.Throws<PermanentFailureException>(() => validate.Transform(TestMessages.Envelope(payload), TransformContext.Standalone))!.Message)
            .ToList();

        Assert.That(messages.Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void Parallel_validations_give_the_same_results_as_one_at_a_time()
    {
        var validate = Create("schema: ./schemas/order.schema.json");
        var payloads = new[] { ValidOrder, """{"number": 5}""", """{"number": "1", "customer": {}}""" };
        string Outcome(string payload)
        {
            try
            {
                validate.Transform(TestMessages.Envelope(payload), TransformContext.Standalone);
                return "valid";
            }
            catch (PermanentFailureException e)
            {
                return e.Message;
            }
        }
        var expected = payloads.Select(Outcome).ToList();

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(int, string)>();
        Parallel.For(0, 600, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => outcomes.Add((i % 3, Outcome(payloads[i % 3]))));

        Assert.That(outcomes.Where(o => o.Item2 != expected[o.Item1]), Is.Empty);
    }

    [Test]
    public void Two_steps_may_load_schemas_with_the_same_id()
    {
        Create("schema: ./schemas/order.schema.json");

        Assert.DoesNotThrow(() => Create("schema: ./schemas/order.schema.json"));
    }

    [Test]
    public void An_inline_schema_is_written_in_yaml_with_yaml_types()
    {
        var validate = Create("""
            schema:
              type: object
              required: [number]
              properties:
                number: { type: string, enum: ["1001", "1002"] }
                count: { const: 123 }
                "Наименование": { type: string, maxLength: 10 }
                flag: { type: boolean }
            """);

        Assert.DoesNotThrow(() => validate.Transform(
            TestMessages.Envelope("""{"number": "1001", "count": 123, "Наименование": "Чайник", "flag": true}"""), TransformContext.Standalone));

        var failure = Assert.Throws<PermanentFailureException>(() => validate.Transform(
            TestMessages.Envelope("""{"number": 1001, "count": "123", "Наименование": "Очень длинное название"}"""), TransformContext.Standalone))!;
        Assert.That(failure.Message, Does.StartWith("the payload does not match the inline schema: "));
        Assert.That(failure.Message, Does.Contain("/number: ").And.Contain("/count: ").And.Contain("/Наименование: "));
    }

    [Test]
    public void Unexpected_properties_and_failed_alternatives_are_located_too()
    {
        var validate = Create("""
            schema:
              type: object
              additionalProperties: false
              properties:
                number: { type: string }
                channel: { anyOf: [ { const: web }, { const: app } ] }
            """);

        var failure = Assert.Throws<PermanentFailureException>(() => validate.Transform(
            TestMessages.Envelope("""{"number": "1", "channel": "fax", "extra": 1}"""), TransformContext.Standalone))!;

        Assert.That(failure.Message, Does.Contain("/extra: ").And.Contain("/channel: "));
    }

    [Test]
    public void A_schema_that_refuses_everything_still_gives_a_message()
    {
        var failure = Assert.Throws<PermanentFailureException>(() => Create("schema: { not: {} }")
            .Transform(TestMessages.Envelope("{}"), TransformContext.Standalone))!;

        Assert.That(failure.Message, Does.StartWith("the payload does not match the inline schema"));
    }

    [TestCase("schema: ./schemas/missing.json", "does not exist")]
    [TestCase("schema: ./schemas/broken.json", "is not valid JSON")]
    [TestCase("schema: ./schemas/bad-type.json", "is not a valid JSON Schema")]
    [TestCase("schema: ./schemas/list.json", "must be a JSON object")]
    [TestCase("schema: ./schemas/remote.json", "only references inside the same schema")]
    [TestCase("schema: { type: objekt }", "is not a valid JSON Schema")]
    [TestCase("schema: { required: 5 }", "is not a valid JSON Schema")]
    [TestCase("schema: [1]", "must be a file path or a schema")]
    public void A_schema_that_cannot_be_used_is_a_config_error_at_the_schema_option(string optionsYaml, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => Create(optionsYaml))!;

        Assert.That(error.Message, Does.Contain(reason));
        Assert.That(error.Mark, Is.EqualTo(new SourceMark(Yaml.FileName, 1, 9)));
    }

    [Test]
    public void The_schema_option_is_required()
    {
        Assert.Throws<ConfigException>(() => Create("{}"));
    }
}
