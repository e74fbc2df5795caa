using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Failures;
using Router.Core.Transformers;
using Router.Transformers.Filter;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.Filter;

public class FilterTransformerTests
{
    private const string Order = """{"total": 1234.56, "test": false, "items": [], "status": "новый"}""";

    private static IReadOnlyList<Core.Messages.Envelope> Filter(string optionsYaml, string payload = Order) =>
        Steps.Create(new FilterTransformerFactory(), optionsYaml).Transform(TestMessages.Envelope(payload), TransformContext.Standalone);

    [TestCase("when: \"$.total > 0\"", true)]
    [TestCase("when: \"$.total > 5000\"", false)]
    [TestCase("when: $.total", true)]
    [TestCase("when: $.missing", false)]
    [TestCase("when: $.items", true)]
    [TestCase("when: \"$.items.length > 0\"", false)]
    [TestCase("when: \"$.status === 'новый'\"", true)]
    [TestCase("unless: $.test", true)]
    [TestCase("unless: \"$.total > 0\"", false)]
    [TestCase("{ when: \"$.total > 0\", unless: $.test }", true)]
    [TestCase("{ when: \"$.total > 0\", unless: \"$.status == 'новый'\" }", false)]
    public void Keeps_the_message_when_the_condition_holds_and_drops_it_otherwise(string optionsYaml, bool kept)
    {
        Assert.That(Filter(optionsYaml), Has.Count.EqualTo(kept ? 1 : 0));
    }

    [Test]
    public void A_kept_message_passes_unchanged()
    {
        var input = TestMessages.Envelope(Order);

        var output = Steps.Create(new FilterTransformerFactory(), "when: \"$.total > 0\"").Transform(input, TransformContext.Standalone);

        Assert.That(output.Single(), Is.SameAs(input));
    }

    [Test]
    public void A_condition_that_fails_to_evaluate_is_a_permanent_failure()
    {
        var failure = Assert.Throws<PermanentFailureException>(() => Filter("when: \"$.customer.phone.length > 0\""))!;

        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.ExpressionFailed));
    }

    [Test]
    public void A_condition_is_required()
    {
        Assert.That(Assert.Throws<ConfigException>(() => Filter("{}"))!.Message, Does.Contain("'when' or 'unless'"));
    }

    [Test]
    public void A_condition_that_does_not_parse_is_reported_at_its_node()
    {
        var error = Assert.Throws<ConfigException>(() => Filter("when: $.total >\n"))!;

        Assert.That(error.Mark, Is.EqualTo(new SourceMark(Yaml.FileName, 1, 7)));
        Assert.That(error.Message, Does.Contain("'when'").And.Contain("at column"));
    }

    [Test]
    public void A_list_is_not_a_condition()
    {
        Assert.Throws<ConfigException>(() => Filter("when: [1]"));
    }
}
