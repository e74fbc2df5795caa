using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Transformers.SetHeader;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.SetHeader;

public class SetHeaderTransformerTests
{
    private const string Order = """{"number": "1001", "total": 1234.50, "customer": {"name": "Иван"}, "note": "строка 1\nстрока 2"}""";

    private static Envelope SetHeaders(string optionsYaml, string payload = Order) =>
        Steps.Create(new SetHeaderTransformerFactory(), optionsYaml).Single(TestMessages.Envelope(payload));

    [Test]
    public void Sets_constants_and_values_taken_from_the_message()
    {
        var output = SetHeaders("""
            X-Channel: web
            X-Order: $.number
            X-Total: $.total
            X-Customer: $.customer
            X-Label: "$.number + '/' + $.customer.name"
            X-Price: $$5
            X-Retries: 3
            """);

        Assert.That(output.Headers, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["X-Source"] = "test",
            ["X-Channel"] = "web",
            ["X-Order"] = "1001",
            ["X-Total"] = "1234.50",
            ["X-Customer"] = """{"name":"Иван"}""",
            ["X-Label"] = "1001/Иван",
            ["X-Price"] = "$5",
            ["X-Retries"] = "3",
        }));
    }

    [Test]
    public void Replaces_a_header_of_the_same_name_and_changes_nothing_else()
    {
        var input = TestMessages.Envelope(Order);

        var output = Steps.Create(new SetHeaderTransformerFactory(), "X-Source: replaced").Single(input);

        Assert.That(output.Headers["X-Source"], Is.EqualTo("replaced"));
        Assert.That(input.Headers["X-Source"], Is.EqualTo("test"), "the input envelope is not changed");
        Assert.That(output with { Headers = input.Headers }, Is.EqualTo(input));
    }

    [Test]
    public void The_same_input_gives_byte_identical_output()
    {
        var setHeaders = Steps.Create(new SetHeaderTransformerFactory(), "{ X-Order: $.number, X-Customer: $.customer, X-Channel: web }");

        var outputs = Enumerable.Range(0, 3)
            .Select(_ => RouterJson.Serialize(setHeaders.Single(TestMessages.Envelope(Order))))
            .ToList();

        Assert.That(outputs.Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void An_expression_that_gives_nothing_sets_nothing()
    {
        var output = SetHeaders("{ X-Fax: $.customer.fax, X-Source: $.missing }");

        Assert.That(output.Headers, Is.EquivalentTo(new Dictionary<string, string> { ["X-Source"] = "test" }));
    }

    [Test]
    public void A_value_with_a_line_break_is_refused()
    {
        var failure = Assert.Throws<PermanentFailureException>(() => SetHeaders("X-Note: $.note"))!;

        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.MalformedInput));
        Assert.That(failure.Message, Does.Contain("X-Note").And.Contain("line break"));
    }

    [Test]
    public void A_failing_expression_names_the_header()
    {
        var failure = Assert.Throws<PermanentFailureException>(() => SetHeaders("X-Phone: \"$.customer.phone.trim()\""))!;

        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.ExpressionFailed));
        Assert.That(failure.Message, Does.StartWith("set-header: X-Phone:"));
    }

    [TestCase("\"X Order\": web", "not a valid header name")]
    [TestCase("X-Order: ~", "needs a value")]
    [TestCase("X-Order: [1, 2]", "must be text or an expression")]
    [TestCase("{}", "at least one header")]
    public void Bad_headers_are_config_errors(string optionsYaml, string reason)
    {
        Assert.That(Assert.Throws<ConfigException>(() => SetHeaders(optionsYaml))!.Message, Does.Contain(reason));
    }

    [Test]
    public void An_expression_that_does_not_parse_is_reported_at_its_node()
    {
        var error = Assert.Throws<ConfigException>(() => SetHeaders("X-A: web\nX-Order: \"$.number +\""))!;

        Assert.That(error.Mark, Is.EqualTo(new SourceMark(Yaml.FileName, 2, 10)));
    }
}
