using Router.Core.Config.Nodes;
using static Router.Core.Tests.Config.ConfigWorkspace;

namespace Router.Core.Tests.Config;

public sealed class ExpressionColumnTests
{
    private static IReadOnlyList<string> Messages(string yaml) =>
        new ConfigWorkspace().Write("router.yaml", yaml).Load().Diagnostics.Select(d => d.ToString()).ToList();

    private static string Route(string toLine) => $$"""
        endpoints:
          in: { kind: folder, path: ./in }
        routes:
          - id: r
            from: in
            {{toLine}}
        """;

    private static SourceMark Shift(SourceMark mark, int columns) => mark with { Column = mark.Column + columns };

    [Test]
    public void A_plain_scalar_points_at_the_bad_token()
    {
        var yaml = Route("to: { endpoint: in, when: $.a + + ) }");

        var bad = Shift(Locate("router.yaml", yaml, "$.a + + )"), "$.a + + ".Length);
        Assert.That(Messages(yaml), Is.EqualTo(new[] { $"{bad}: error: 'when' is not a valid expression: Unexpected token ')'" }));
    }

    [Test]
    public void A_double_quoted_scalar_counts_from_after_the_quote()
    {
        var yaml = Route("to: { endpoint: in, when: \"$.total > 0 &&& 1\" }");

        var bad = Shift(Locate("router.yaml", yaml, "$.total > 0 &&& 1"), "$.total > 0 &&".Length);
        Assert.That(Messages(yaml).Single(), Does.StartWith($"{bad}: error: 'when' is not a valid expression: "));
    }

    [Test]
    public void A_single_quoted_scalar_counts_from_after_the_quote()
    {
        var yaml = Route("to: [ { endpoint: in, when: '$.a == ]' } ]");

        var bad = Shift(Locate("router.yaml", yaml, "$.a == ]"), "$.a == ".Length);
        Assert.That(Messages(yaml).Single(), Does.StartWith($"{bad}: error: 'when' is not a valid expression: "));
    }

    [Test]
    public void An_escape_in_the_scalar_makes_the_message_point_at_the_scalar()
    {
        var yaml = Route("to: { endpoint: in, when: \"$.name == \\\"x\\\" +\" }");

        var scalar = Locate("router.yaml", yaml, "\"$.name");
        Assert.That(Messages(yaml).Single(), Does.StartWith($"{scalar}: error: 'when' is not a valid expression: ").And.EndWith("of the expression)"));
    }

    [Test]
    public void A_block_scalar_points_at_the_scalar_and_names_the_line_inside_it()
    {
        var yaml = Route("to:\n      - endpoint: in\n        when: |\n          $.a &&\n          $.b )\n");

        var scalar = Locate("router.yaml", yaml, "|");
        Assert.That(Messages(yaml).Single(), Is.EqualTo($"{scalar}: error: 'when' is not a valid expression: Unexpected token ')' (line 2, column 5 of the expression)"));
    }

    [Test]
    public void Expressions_in_transformer_options_are_checked_too()
    {
        var yaml = Route("steps: [ { map: { fields: { total: $.a * } } } ]\n    to: in");

        var bad = Shift(Locate("router.yaml", yaml, "$.a *"), "$.a *".Length);
        Assert.That(Messages(yaml).Single(), Does.StartWith($"{bad}: error: 'total' is not a valid expression: "));
    }
}
