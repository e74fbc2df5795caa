using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.OneC;

/// <summary>What validate says about onec-http endpoints: the mode is explicit, its keys belong to it, and 1C needs a listener.</summary>
public sealed class OneCHttpConfigTests
{
    private static async Task<Support.Cli.Result> ValidateAsync(string yaml)
    {
        using var directory = new TemporaryDirectory();
        var config = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(config, yaml);
        return await Support.Cli.RunAsync("validate", "--config", config);
    }

    private const string Routes = """
        routes:
          - id: catalog
            from: onec
            to: [ archive ]
        """;

    [Test]
    public async Task An_exchange_endpoint_needs_router_http_listen()
    {
        var result = await ValidateAsync($$"""
            endpoints:
              onec: { kind: onec-http, mode: exchange, user: u, password: p, exchangeDir: ./x, type: file.received }
              archive: { kind: folder, path: ./archive }
            {{Routes}}
            """);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Out, Does.Contain("router.yaml:2:3: error: endpoint 'onec' is called on the router's HTTP listener").And.Contain("router.http.listen"));
    }

    [Test]
    public async Task The_mode_must_be_written()
    {
        var result = await ValidateAsync($$"""
            router: { http: { listen: "http://127.0.0.1:8080" } }
            endpoints:
              onec: { kind: onec-http, user: u, password: p, exchangeDir: ./x, baseUrl: "http://1c/trade" }
              archive: { kind: folder, path: ./archive }
            {{Routes}}
            """);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Out, Does.Contain("missing required key 'mode' in 'onec'"));
    }

    [Test]
    public async Task Keys_of_the_other_mode_and_a_service_endpoint_as_a_source_are_errors()
    {
        var result = await ValidateAsync($$"""
            router: { http: { listen: "http://127.0.0.1:8080" } }
            endpoints:
              onec: { kind: onec-http, mode: service, user: u, password: p, baseUrl: "http://1c/trade", exchangeDir: ./x }
              archive: { kind: folder, path: ./archive }
            {{Routes}}
            """);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Out, Does.Contain("'exchangeDir' belongs to mode: exchange"));
        Assert.That(result.Out, Does.Contain("mode: service only sends"));
    }

    [Test]
    public async Task Two_exchange_endpoints_on_one_path_clash()
    {
        var result = await ValidateAsync("""
            router: { http: { listen: "http://127.0.0.1:8080" } }
            endpoints:
              onec: { kind: onec-http, mode: exchange, user: u, password: p, exchangeDir: ./x, type: file.received }
              onec2: { kind: onec-http, mode: exchange, user: u, password: p, exchangeDir: ./y, type: file.received }
              archive: { kind: folder, path: ./archive }
            routes:
              - { id: a, from: onec, to: [ archive ] }
              - { id: b, from: onec2, to: [ archive ] }
            """);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Out, Does.Contain("endpoint 'onec2' answers on /1c/exchange, which endpoint 'onec' already serves"));
    }

    [Test]
    public async Task A_listen_address_with_https_or_a_path_is_refused()
    {
        var result = await ValidateAsync($$"""
            router: { http: { listen: "https://0.0.0.0:8443/api" } }
            endpoints:
              onec: { kind: onec-http, mode: exchange, user: u, password: p, exchangeDir: ./x, type: file.received }
              archive: { kind: folder, path: ./archive }
            {{Routes}}
            """);

        Assert.That(result.Out, Does.Contain("router.http.listen must be http://<host>:<port>"));
    }

    [Test]
    public async Task A_valid_exchange_and_service_pair_passes()
    {
        var result = await ValidateAsync("""
            router: { http: { listen: "http://0.0.0.0:8080" } }
            endpoints:
              onec: { kind: onec-http, mode: exchange, user: u, password: p, exchangeDir: ./x, type: file.received }
              onec-hs: { kind: onec-http, mode: service, user: u, password: p, baseUrl: "http://1c/trade" }
              orders: { kind: folder, path: ./orders, type: order.created }
              archive: { kind: folder, path: ./archive }
            routes:
              - { id: from-1c, from: onec, to: [ archive ] }
              - { id: to-1c, from: orders, steps: [ { commerceml-order: { encoding: windows-1251 } } ], to: [ onec ] }
              - { id: to-1c-hs, from: orders, to: [ onec-hs ] }
            """);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
    }
}
