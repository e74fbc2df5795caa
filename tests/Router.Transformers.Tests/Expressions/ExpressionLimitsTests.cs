using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Transformers.Tests.Expressions;

public class ExpressionLimitsTests
{
    private static readonly MessageScope Scope = new(RouterJson.ParseElement("""{"n": 15000}"""));

    private static PermanentFailureException Failure(string expression)
    {
        var failure = Assert.Throws<PermanentFailureException>(() => MessageExpression.Compile(expression).EvaluateElement(Scope))!;
        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.ExpressionFailed));
        return failure;
    }

    [Test]
    public void An_endless_loop_fails_on_the_statement_limit()
    {
        Assert.That(Failure("(() => { while (true) {} })()").Message, Does.Contain($"more than {ExpressionLimits.MaxStatements} statements"));
    }

    [Test]
    public void Runaway_recursion_fails_on_the_call_depth_limit()
    {
        var failure = Failure("(() => { const f = n => n === 0 ? 0 : 1 + f(n - 1); return f(10000); })()");

        Assert.That(failure.Message, Does.Contain($"deeper than {ExpressionLimits.MaxCallDepth}"));
    }

    [Test]
    public void A_huge_array_fails_on_the_size_limit()
    {
        Failure($"new Array({ExpressionLimits.MaxArrayLength + 1}).fill(0).length");
    }

    [Test]
    public void A_runaway_regular_expression_fails_on_the_timeout()
    {
        // Catastrophic backtracking runs inside one statement, so only the regex deadline can stop it.
        Assert.That(Failure("/^(a+)+$/.test('a'.repeat(40) + 'b')").Message, Does.Contain("longer than"));
    }

    [Test]
    public void Each_evaluation_gets_the_full_statement_budget()
    {
        // About half the budget per run: the runs together exceed it, so a count that is not reset would fail.
        var expression = MessageExpression.Compile("(() => { let s = 0; for (let i = 0; i < $.n; i++) { s += i; } return s; })()");

        for (var run = 0; run < 5; run++)
        {
            Assert.That(expression.EvaluateString(Scope), Is.EqualTo("112492500"), $"run {run}");
        }
    }
}
