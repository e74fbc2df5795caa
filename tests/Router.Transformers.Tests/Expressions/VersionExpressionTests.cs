using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Transformers.Tests.Expressions;

public class VersionExpressionTests
{
    private static long? Version(string payload, string expression = "$.v") =>
        MessageExpression.Compile(expression).EvaluateVersion(new MessageScope(RouterJson.ParseElement(payload)));

    [TestCase("""{"v": 42}""", 42L)]
    [TestCase("""{"v": 42.0}""", 42L)]
    [TestCase("""{"v": "42"}""", 42L)]
    [TestCase("""{"v": " -7 "}""", -7L)]
    [TestCase("""{"v": "2024-01-02T03:04:05Z"}""", 1704164645000L)]
    [TestCase("""{"v": "2024-01-02T06:04:05+03:00"}""", 1704164645000L)]
    [TestCase("""{"v": "2024-01-02T03:04:05"}""", 1704164645000L)]
    public void A_version_is_an_integer_or_a_date_time_in_unix_milliseconds(string payload, long expected)
    {
        Assert.That(Version(payload), Is.EqualTo(expected));
    }

    [Test]
    public void A_script_can_compute_the_version()
    {
        Assert.That(Version("""{"v": 41}""", "$.v + 1"), Is.EqualTo(42L));
    }

    [TestCase("""{}""")]
    [TestCase("""{"v": null}""")]
    public void A_missing_version_is_null(string payload)
    {
        Assert.That(Version(payload), Is.Null);
    }

    [TestCase("""{"v": 1.5}""")]
    [TestCase("""{"v": "soon"}""")]
    [TestCase("""{"v": {"n": 1}}""")]
    [TestCase("""{"v": true}""")]
    public void Anything_else_is_a_permanent_failure(string payload)
    {
        var failure = Assert.Throws<PermanentFailureException>(() => Version(payload))!;

        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.ExpressionFailed));
        Assert.That(failure.Message, Does.Contain("neither an integer nor a date-time"));
    }
}
