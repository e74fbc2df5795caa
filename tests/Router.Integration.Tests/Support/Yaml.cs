namespace Router.Integration.Tests.Support;

/// <summary>Small YAML configs for engine tests: an order folder → platform (sandbox) and an archive folder.</summary>
public static class Yaml
{
    public static string Header(string transport = "sqlite") => $$"""
        router:
          transport: { kind: {{transport}} }
          storage: { kind: sqlite, path: ./data/router.db }
          defaults:
            resilience:
              timeout: 5s
              retry: { attempts: 2, delay: 10ms, jitter: false }
              circuitBreaker: false
              redelivery: { delays: [] }
        """;

    /// <summary>Orders from ./inbox to the platform and the archive; ids are the order number and version.</summary>
    public static string Orders(string routeExtra = "", string platformExtra = "", string endpointsExtra = "", string to = "[ platform, archive ]",
        string transport = "sqlite") => $$"""
        {{Header(transport)}}
        endpoints:
          inbox:
            kind: folder
            path: ./inbox
            type: order.created
            messageId: "$.number + '-v' + ($.version ?? 1)"
            entityKey: "'order:' + $.number"
          platform:
            kind: http
            url: "{sandbox}/platform/orders"
        {{Indent(platformExtra, 4)}}
          archive:
            kind: folder
            path: ./archive
            fileName: "{entityKey}-{messageId}.json"
        {{Indent(endpointsExtra, 2)}}
        routes:
          - id: orders
            from: inbox
        {{Indent(routeExtra, 4)}}
            to: {{to}}
        """;

    public static string Order(string number, int version = 1, string email = "buyer@example.ru", string extra = "") =>
        $$"""{ "number": "{{number}}", "version": {{version}}, "customer": { "email": "{{email}}", "name": "Иван Петров" }, "total": 1234.56{{extra}} }""";

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(line => line.Length == 0 ? line : new string(' ', spaces) + line));
}
