using System.Text.Json;
using Router.Core.Expressions;
using Router.Core.Messages;

namespace Router.Transformers.Tests.Expressions;

public class PathExpressionTests
{
    private const string Order = """
        {
          "number": "1001",
          "sum": 1234.560,
          "tiny": 0.1,
          "huge": 12345678901234567890.123456789,
          "client": { "name": "Иван", "tel": null },
          "items": [ { "code": "A", "count": 2 }, { "code": "B", "count": 3 }, { "code": "C", "count": 1 } ],
          "Товар": { "Наименование товара": "Чайник", "Цена": 1990.00 },
          "it's": "quoted",
          "tags": [],
          "box": { "length": 7 }
        }
        """;

    private static readonly MessageScope Scope = new(RouterJson.ParseElement(Order));

    private static string? Text(string expression) => MessageExpression.Compile(expression).EvaluateString(Scope);

    [TestCase("$.number", "1001")]
    [TestCase("$.client.name", "Иван")]
    [TestCase("$.items[0].code", "A")]
    [TestCase("$.items[2].code", "C")]
    [TestCase("$.items[-1].code", "C")]
    [TestCase("$.items[-3].code", "A")]
    [TestCase("$.items[ 1 ].code", "B")]
    [TestCase("$['Товар']['Наименование товара']", "Чайник")]
    [TestCase("$[\"Товар\"].Цена", "1990.00")]
    [TestCase("$.Товар.Цена", "1990.00")]
    [TestCase(@"$['it\'s']", "quoted")]
    [TestCase("$.items.length", "3")]
    [TestCase("$.tags.length", "0")]
    [TestCase("$.number.length", "4")]
    [TestCase("$.box.length", "7")]
    public void A_plain_path_reads_the_value(string expression, string expected)
    {
        var compiled = MessageExpression.Compile(expression);

        Assert.That(compiled.IsPath, Is.True, "should not need JavaScript");
        Assert.That(compiled.EvaluateString(Scope), Is.EqualTo(expected));
    }

    [TestCase("$.missing")]
    [TestCase("$.missing.deeper.still")]
    [TestCase("$.client.tel")]
    [TestCase("$.client.tel.digits")]
    [TestCase("$.number.first")]
    [TestCase("$.items[3]")]
    [TestCase("$.items[-4]")]
    [TestCase("$.items[99999999999]")]
    [TestCase("$.client[0]")]
    [TestCase("$.items.code")]
    public void A_path_through_something_missing_gives_nothing_instead_of_failing(string expression)
    {
        var compiled = MessageExpression.Compile(expression);

        Assert.That(compiled.IsPath, Is.True);
        Assert.That(compiled.EvaluateElement(Scope).ValueKind, Is.EqualTo(JsonValueKind.Undefined));
        Assert.That(compiled.EvaluateString(Scope), Is.Null);
        Assert.That(compiled.Evaluate(Scope), Is.Null);
        Assert.That(compiled.IsTrue(Scope), Is.False);
    }

    [Test]
    public void Dollar_alone_is_the_whole_payload()
    {
        var element = MessageExpression.Compile("$").EvaluateElement(Scope);

        Assert.That(element.GetProperty("number").GetString(), Is.EqualTo("1001"));
    }

    [TestCase("$.sum", "1234.560")]
    [TestCase("$.tiny", "0.1")]
    [TestCase("$.huge", "12345678901234567890.123456789")]
    public void Numbers_on_a_path_keep_their_exact_text(string expression, string expected)
    {
        var element = MessageExpression.Compile(expression).EvaluateElement(Scope);

        Assert.That(element.GetRawText(), Is.EqualTo(expected));
        Assert.That(element.GetDecimal(), Is.EqualTo(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Evaluate_gives_the_value_as_a_json_node()
    {
        var node = MessageExpression.Compile("$.items[1]").Evaluate(Scope);

        Assert.That(node!.ToJsonString(), Is.EqualTo("""{"code":"B","count":3}"""));
    }

    [TestCase("$.number", true)]
    [TestCase("$.items", true)]
    [TestCase("$.tags", true)]
    [TestCase("$.client", true)]
    [TestCase("$.items[0].count", true)]
    [TestCase("$.client.tel", false)]
    [TestCase("$.missing", false)]
    public void A_path_is_true_as_javascript_would_see_its_value(string expression, bool expected)
    {
        Assert.That(MessageExpression.Compile(expression).IsTrue(Scope), Is.EqualTo(expected));
    }

    [TestCase("""{"v": 0}""", false)]
    [TestCase("""{"v": 0.0}""", false)]
    [TestCase("""{"v": ""}""", false)]
    [TestCase("""{"v": false}""", false)]
    [TestCase("""{"v": "0"}""", true)]
    [TestCase("""{"v": "false"}""", true)]
    [TestCase("""{"v": {}}""", true)]
    [TestCase("""{"v": -1}""", true)]
    public void Truthiness_of_a_path_matches_javascript(string payload, bool expected)
    {
        var scope = new MessageScope(RouterJson.ParseElement(payload));
        var path = MessageExpression.Compile("$.v");
        var script = MessageExpression.Compile("!!$.v");

        Assert.That(path.IsTrue(scope), Is.EqualTo(expected));
        Assert.That(script.IsTrue(scope), Is.EqualTo(expected), "the JavaScript reading of the same value");
    }

    [TestCase("$.a + 1")]
    [TestCase("$.items.map(i => i.code)")]
    [TestCase("$.order-id")]
    [TestCase("$rootx")]
    [TestCase("$root.a.b()")]
    public void Anything_beyond_the_path_grammar_is_javascript(string expression)
    {
        Assert.That(MessageExpression.Compile(expression).IsPath, Is.False);
    }

    [Test]
    public void Strings_of_other_shapes_are_text_when_evaluated_as_strings()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Text("$.items[0]"), Is.EqualTo("""{"code":"A","count":2}"""));
            Assert.That(Text("$.items[0].count"), Is.EqualTo("2"));
            Assert.That(Text("$.client.name"), Is.EqualTo("Иван"));
        });
    }

    [Test]
    public void Source_is_the_trimmed_text()
    {
        var compiled = MessageExpression.Compile("  $.number \n");

        Assert.That(compiled.Source, Is.EqualTo("$.number"));
        Assert.That(compiled.ToString(), Is.EqualTo("$.number"));
        Assert.That(compiled.EvaluateString(Scope), Is.EqualTo("1001"));
    }
}
