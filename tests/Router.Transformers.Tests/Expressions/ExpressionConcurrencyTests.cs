using Router.Core.Expressions;
using Router.Core.Messages;

namespace Router.Transformers.Tests.Expressions;

public class ExpressionConcurrencyTests
{
    private const int Threads = 4;
    private const int Rounds = 300;

    [Test]
    public void One_compiled_expression_evaluates_correctly_from_many_threads_at_once()
    {
        var expression = MessageExpression.Compile("`${$.number}:${$.lines.map(l => l.qty * l.price).reduce((a, b) => a + b, 0)}`");
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        RunOnThreads(thread =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                var number = thread * 100_000 + round;
                var scope = new MessageScope(RouterJson.ParseElement(
                    $$"""{"number": {{number}}, "lines": [{"qty": 2, "price": 0.1}, {"qty": 1, "price": {{round}}}]}"""));
                var expected = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{number}:{round + 0.2m}");
                var actual = expression.EvaluateString(scope);
                if (actual != expected)
                {
                    failures.Add($"{expected} != {actual}");
                }
            }
        });

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void One_scope_shared_by_many_threads_gives_each_the_same_answers()
    {
        var scope = new MessageScope(RouterJson.ParseElement("""{"name": "Чайник", "items": [1, 2, 3]}"""));
        var expressions = new[]
        {
            (MessageExpression.Compile("$.name.toUpperCase()"), "ЧАЙНИК"),
            (MessageExpression.Compile("$.items.reduce((a, b) => a + b, 0)"), "6"),
            (MessageExpression.Compile("$root.items.length"), "3"),
        };
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        RunOnThreads(_ =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var (expression, expected) in expressions)
                {
                    var actual = expression.EvaluateString(scope);
                    if (actual != expected)
                    {
                        failures.Add($"{expression}: {actual}");
                    }
                }
            }
        });

        Assert.That(failures, Is.Empty);
    }

    private static void RunOnThreads(Action<int> work)
    {
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            try
            {
                work(i);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.That(errors, Is.Empty);
    }
}
