using Router.Core.Expressions;
using Router.Core.Messages;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.Expressions;

public class MessageScopeTests
{
    private const string Order = """
        { "number": "1001", "lines": [ { "sku": "A", "parts": [ { "id": "p1" } ] }, { "sku": "B", "parts": [] } ] }
        """;

    [Test]
    public void Of_an_envelope_binds_its_payload_and_the_envelope()
    {
        var input = TestMessages.Envelope(Order);
        var scope = MessageScope.Of(input);

        Assert.That(scope.Envelope, Is.SameAs(input));
        Assert.That(scope.IsNested, Is.False);
        Assert.That(MessageExpression.Compile("$root.number").EvaluateString(scope), Is.EqualTo("1001"));
    }

    [Test]
    public void A_nested_scope_sees_the_item_as_dollar_and_the_whole_payload_as_root()
    {
        var outer = MessageScope.Of(TestMessages.Envelope(Order));
        var line = outer.Nested(outer.Payload.GetProperty("lines")[1]);

        Assert.That(line.IsNested, Is.True);
        Assert.That(line.Envelope, Is.SameAs(outer.Envelope));
        foreach (var (expression, expected) in new[]
        {
            ("$.sku", "B"),
            ("$root.number", "1001"),
            ("$root.lines[0].sku", "A"),
            ("$.sku + '@' + $root.number", "B@1001"),
            ("envelope.messageId + ':' + headers['X-Source']", "msg-1:test"),
        })
        {
            Assert.That(MessageExpression.Compile(expression).EvaluateString(line), Is.EqualTo(expected), expression);
        }
    }

    [Test]
    public void Root_stays_the_outermost_payload_through_several_levels()
    {
        var outer = new MessageScope(RouterJson.ParseElement(Order));
        var line = outer.Nested(outer.Payload.GetProperty("lines")[0]);
        var part = line.Nested(line.Payload.GetProperty("parts")[0]);

        Assert.That(MessageExpression.Compile("$.id").EvaluateString(part), Is.EqualTo("p1"));
        Assert.That(MessageExpression.Compile("$root.number").EvaluateString(part), Is.EqualTo("1001"));
        Assert.That(MessageExpression.Compile("$root.number + $.id").EvaluateString(part), Is.EqualTo("1001p1"));
    }
}
