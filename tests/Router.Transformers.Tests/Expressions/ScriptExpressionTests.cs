using System.Text.Json;
using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.Expressions;

public class ScriptExpressionTests
{
    private const string Order = """
        {
          "number": "1001",
          "total": 1234.56,
          "price": 19.99,
          "qty": 3,
          "client": { "name": "Иван Петров" },
          "items": [ { "code": "B", "count": 2 }, { "code": "A", "count": 3 } ]
        }
        """;

    private static readonly Envelope Input = TestMessages.Envelope(Order);
    private static readonly MessageScope Scope = MessageScope.Of(Input);

    private static string? Text(string expression, MessageScope? scope = null) =>
        MessageExpression.Compile(expression).EvaluateString(scope ?? Scope);

    private static PermanentFailureException Failure(string expression, MessageScope? scope = null) =>
        Assert.Throws<PermanentFailureException>(() => MessageExpression.Compile(expression).EvaluateElement(scope ?? Scope))!;

    [TestCase("$.total > 0", true)]
    [TestCase("$.total > 5000", false)]
    [TestCase("$.client.name.startsWith('Иван')", true)]
    [TestCase("$.items.some(i => i.code === 'A')", true)]
    [TestCase("$.missing?.deeper", false)]
    [TestCase("headers['X-Source'] === 'test'", true)]
    public void A_script_is_true_by_javascript_truthiness(string expression, bool expected)
    {
        var compiled = MessageExpression.Compile(expression);

        Assert.That(compiled.IsPath, Is.False);
        Assert.That(compiled.IsTrue(Scope), Is.EqualTo(expected));
    }

    [TestCase("'order:' + $.number", "order:1001")]
    [TestCase("`Заказ №${$.number} для ${$.client.name}`", "Заказ №1001 для Иван Петров")]
    [TestCase("$.missing?.x ?? 'нет'", "нет")]
    [TestCase("$.items.map(i => i.code).join(',')", "B,A")]
    [TestCase("[...$.items].sort((a, b) => a.code < b.code ? -1 : 1)[0].code", "A")]
    [TestCase("$.items.toSorted((a, b) => a.count - b.count)[0].code", "B")]
    [TestCase("envelope.messageId", "msg-1")]
    [TestCase("envelope.type", MessageTypes.OrderCreated)]
    [TestCase("envelope.correlationId", "corr-1")]
    [TestCase("headers['X-Source']", "test")]
    [TestCase("$root.number", "1001")]
    [TestCase("new Date('2024-01-02T10:00:00').toISOString()", "2024-01-02T10:00:00.000Z")]
    public void A_script_computes_text(string expression, string expected)
    {
        Assert.That(Text(expression), Is.EqualTo(expected));
    }

    [TestCase("0.1 + 0.2", "0.3")]
    [TestCase("$.price * $.qty", "59.97")]
    [TestCase("$.total * 1", "1234.56")]
    [TestCase("$.total + 0.01", "1234.57")]
    [TestCase("$.items.reduce((s, i) => s + i.count * 0.1, 0)", "0.5")]
    [TestCase("1 / 3", "0.333333333333333")]
    [TestCase("2 + 3", "5")]
    [TestCase("-0", "0")]
    [TestCase("2 ** 53", "9007199254740992")]
    [TestCase("10n ** 20n", "100000000000000000000")]
    public void Numbers_from_scripts_come_back_without_binary_noise(string expression, string expected)
    {
        Assert.That(Text(expression), Is.EqualTo(expected));
    }

    [TestCase("0 / 0")]
    [TestCase("1 / 0")]
    [TestCase("undefined")]
    [TestCase("null")]
    public void Values_json_cannot_hold_are_missing(string expression)
    {
        Assert.That(MessageExpression.Compile(expression).EvaluateElement(Scope).ValueKind, Is.EqualTo(JsonValueKind.Undefined));
    }

    [Test]
    public void Objects_and_lists_come_back_as_json_like_json_stringify_writes_them()
    {
        var element = MessageExpression.Compile("({ number: $.number, codes: $.items.map(i => i.code), skip: undefined, f: () => 1, list: [undefined, 1] })")
            .EvaluateElement(Scope);

        Assert.That(TestMessages.Json(element), Is.EqualTo("""{"number":"1001","codes":["B","A"],"list":[null,1]}"""));
    }

    [Test]
    public void Dates_from_scripts_are_written_as_iso_8601_in_utc()
    {
        Assert.That(Text("new Date(Date.UTC(2024, 0, 2, 3, 4, 5))"), Is.EqualTo("2024-01-02T03:04:05.000Z"));
        Assert.That(Text("new Date('not a date')"), Is.Null);
    }

    [Test]
    public void Without_an_envelope_headers_is_empty_and_envelope_is_undefined()
    {
        var scope = new MessageScope(RouterJson.ParseElement("""{"a":1}"""));

        Assert.That(Text("headers['X-Source'] ?? 'none'", scope), Is.EqualTo("none"));
        Assert.That(Text("typeof envelope", scope), Is.EqualTo("undefined"));
    }

    [Test]
    public void A_runtime_error_is_a_permanent_failure_naming_the_expression()
    {
        var failure = Failure("$.missing.deeper + 1");

        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.ExpressionFailed));
        Assert.That(failure.Message, Does.Contain("'$.missing.deeper + 1'").And.Contain("Cannot read properties of undefined"));
    }

    [Test]
    public void An_unknown_name_is_a_permanent_failure()
    {
        Assert.That(Failure("totl > 0").Message, Does.Contain("totl"));
    }

    [TestCase("($.items.push({ code: 'C' }), 1)")]
    [TestCase("$.items.sort((a, b) => a.count - b.count)")]
    [TestCase("($.number = '2', 1)")]
    [TestCase("(delete $.number, 1)")]
    [TestCase("(headers['X-Source'] = 'changed', 1)")]
    [TestCase("($root.client.name = 'x', 1)")]
    public void Scripts_cannot_change_the_message_that_later_expressions_see(string mutation)
    {
        var scope = MessageScope.Of(TestMessages.Envelope(Order));

        Assert.Throws<PermanentFailureException>(() => MessageExpression.Compile(mutation).EvaluateElement(scope));

        Assert.That(Text("JSON.stringify([$.number, $.items.map(i => i.code), headers['X-Source'], $.client.name])", scope),
            Is.EqualTo("""["1001",["B","A"],"test","Иван Петров"]"""));
    }

    [TestCase("Math.random()", "same output for the same input")]
    [TestCase("Date.now()", "current time is not available")]
    [TestCase("new Date().getFullYear()", "current time is not available")]
    [TestCase("eval('1 + 1')", "String compilation")]
    [TestCase("new Function('return 1')()", "String compilation")]
    public void Scripts_cannot_read_the_clock_draw_random_numbers_or_compile_code(string expression, string reason)
    {
        var failure = Failure(expression);

        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.ExpressionFailed));
        Assert.That(failure.Message, Does.Contain(reason));
    }

    [Test]
    public void A_script_cannot_leave_a_global_behind_for_the_next_one()
    {
        Assert.Throws<PermanentFailureException>(() => MessageExpression.Compile("(globalThis.leak = 1, 1)").EvaluateElement(Scope));

        Assert.That(Text("typeof leak"), Is.EqualTo("undefined"));
    }

    [Test]
    public void A_result_that_contains_itself_fails_instead_of_recursing_forever()
    {
        var failure = Failure("(() => { const o = { a: 1 }; o.self = o; return o; })()");

        Assert.That(failure.Message, Does.Contain("nested deeper than"));
    }

    [Test]
    public void Evaluate_gives_a_json_node_for_scripts()
    {
        var node = MessageExpression.Compile("({ n: $.qty * 2 })").Evaluate(Scope);

        Assert.That(node!.ToJsonString(), Is.EqualTo("""{"n":6}"""));
        Assert.That(MessageExpression.Compile("$.missing?.x").Evaluate(Scope), Is.Null);
    }

    [TestCase("$.number + '-v' + $.version")]
    [TestCase("`${$.number}:${$.missing}`")]
    [TestCase("'total ' + ($.absent * 2)")]
    public void Text_built_from_a_missing_field_is_refused_instead_of_saying_undefined(string expression)
    {
        var failure = Failure(expression);
        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.ExpressionFailed));
        Assert.That(failure.Message, Does.Contain("missing").And.Contain(expression));
    }

    [TestCase("$.number + '-v' + ($.version ?? 1)", "1001-v1")]
    [TestCase("typeof $.version", "undefined")]
    public void Text_that_accounts_for_a_missing_field_is_fine(string expression, string expected) =>
        Assert.That(Text(expression), Is.EqualTo(expected));
}
