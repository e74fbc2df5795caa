using Router.Core.Expressions;

namespace Router.Transformers.Tests.Expressions;

public class ExpressionSyntaxTests
{
    private static ExpressionSyntaxException Error(string source) =>
        Assert.Throws<ExpressionSyntaxException>(() => MessageExpression.Compile(source))!;

    [TestCase("$.a + ) 1", 7)]
    [TestCase("  $.a ) b", 7)]
    [TestCase("$.total >> > 0", 12)]
    [TestCase("$.a[*]", 5)]
    [TestCase("'Заказ №' + + ) $.number", 15)]
    public void The_column_points_at_the_offending_character_of_the_users_text(string source, int column)
    {
        var error = Error(source);

        Assert.That(error.Line, Is.EqualTo(1));
        Assert.That(error.Column, Is.EqualTo(column));
        Assert.That(source[column - 1], Is.Not.EqualTo(' '), "the column names a character, not the space before it");
        Assert.That(error.Message, Does.Contain($"(at column {column})").And.Contain(source));
    }

    [Test]
    public void An_unfinished_expression_is_reported_just_past_its_end()
    {
        var error = Error("$.a +");

        Assert.That((error.Line, error.Column), Is.EqualTo((1, 6)));
        Assert.That(error.Reason, Does.Contain("end of input"));
    }

    [Test]
    public void Errors_on_later_lines_give_the_line_and_the_column_on_it()
    {
        var error = Error("$.a +\n  * 2");

        Assert.That((error.Line, error.Column), Is.EqualTo((2, 3)));
        Assert.That(error.Message, Does.Contain("at line 2, column 3"));
    }

    [TestCase("1); globalThis.x = (2")]
    [TestCase("$.a; $.b")]
    [TestCase("return 1")]
    [TestCase("$.a\n) + (1")]
    public void Only_a_single_expression_is_accepted(string source)
    {
        Error(source);
    }

    [Test]
    public void Strict_mode_rules_apply_when_compiling()
    {
        Assert.That(Error("$.a + 010").Reason, Does.Contain("ctal").IgnoreCase);
    }

    [TestCase("")]
    [TestCase("   ")]
    public void An_empty_expression_is_an_error_at_column_1(string source)
    {
        var error = Error(source);

        Assert.That((error.Line, error.Column), Is.EqualTo((1, 1)));
        Assert.That(error.Reason, Does.Contain("empty"));
    }

    [Test]
    public void A_trailing_line_comment_does_not_swallow_the_rest_of_the_wrapper()
    {
        var compiled = MessageExpression.Compile("1 + 1 // two");

        Assert.That(compiled.EvaluateString(new MessageScope(default)), Is.EqualTo("2"));
    }

    [Test]
    public void TryCompile_reports_without_throwing()
    {
        Assert.That(MessageExpression.TryCompile("$.a +", out var expression, out var error), Is.False);
        Assert.That(expression, Is.Null);
        Assert.That(error!.Column, Is.EqualTo(6));

        Assert.That(MessageExpression.TryCompile("$.a", out expression, out error), Is.True);
        Assert.That(expression!.IsPath, Is.True);
        Assert.That(error, Is.Null);
    }
}
