using Router.Core.Config;
using Router.Core.Config.Nodes;
using static Router.Core.Tests.Config.ConfigWorkspace;

namespace Router.Core.Tests.Config;

public sealed class ValidationDiagnosticsTests
{
    private const string Broken = """
        router:
          transport: { kind: sqlit }
          defaults:
            routeParallelism: 0
            resilience: { timeout: 30 seconds, retry: { atempts: 3 } }
        endpoints:
          inbox: { kind: folder, path: ./in, type: order.create }
          platform: { kind: htp, url: http://x }
          api: { kind: http, url: not a url, parallelism: { n: 1 } }
          ticker: { kind: schedule, cron: "* * *" }
        routes:
          - id: r1
            from: inbx
            steps:
              - mapp: {}
              - filter: { when: "$.total >" }
            to: [ api, ticker ]
          - id: r2
            to: [ api ]
        """;

    private static SourceMark Mark(string needle, string? after = null) => Locate("router.yaml", Broken, needle, after);

    private static string At(string needle, string? after = null) => Mark(needle, after).ToString();

    [Test]
    public void Every_mistake_is_reported_in_one_pass_with_its_line_and_column()
    {
        var result = new ConfigWorkspace().Write("router.yaml", Broken).Load();

        var whenValue = Mark("\"$.total >\"");
        Assert.That(result.Diagnostics.Select(d => d.ToString()), Is.EqualTo(new[]
        {
            $"{At("sqlit")}: error: 'kind' must be one of sqlite, inmemory, rabbitmq, postgresql, not 'sqlit' (did you mean 'sqlite'?)",
            $"{At("0", "routeParallelism")}: error: 'routeParallelism' must be between 1 and 256, not '0'",
            $"{At("30 seconds")}: error: 'timeout' must be a duration such as 500ms, 30s, 5m, 1h or 1d, not '30 seconds'",
            $"{At("atempts")}: error: unknown key 'atempts' in 'retry' (did you mean 'attempts'?)",
            $"{At("order.create")}: error: 'type' names an unknown message type 'order.create' (did you mean 'order.created'?)",
            $"{At("htp")}: error: unknown kind 'htp' in 'platform' (did you mean 'http'?)",
            $"{At("not a url")}: error: 'url' must be an absolute URL such as http://host:port/path, not 'not a url'",
            $"{At("{ n: 1 }")}: error: 'parallelism' must be an integer, not a mapping",
            $"{At("\"* * *\"")}: error: 'cron' must be a cron expression of 5 fields (minute hour day month weekday) or 6 (seconds first), not 3 fields",
            $"{At("inbx")}: error: 'from' names an unknown endpoint 'inbx' (did you mean 'inbox'?)",
            $"{At("mapp")}: error: unknown transformer 'mapp' (did you mean 'map'?)",
            // Just past "$.total >", where the expression ends too early: the closing quote.
            $"{whenValue with { Column = whenValue.Column + 1 + "$.total >".Length }}: error: 'when' is not a valid expression: Unexpected end of input",
            $"{At("ticker", "to: [ api")}: error: 'ticker' is a 'schedule' endpoint, which cannot send messages; deliveries need one that can",
            $"{At("id: r2")}: error: missing required key 'from' in item 2 of 'routes'",
        }));
        Assert.That(result.Config, Is.Null);
        Assert.That(result.HasErrors, Is.True);
    }
}
