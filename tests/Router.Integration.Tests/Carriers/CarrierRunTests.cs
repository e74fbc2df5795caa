using System.Text.Json;
using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Carriers;

/// <summary>
/// <c>router run --once --sandbox</c> with shipment requests dropped into folders: CDEK and Boxberry register them
/// at the sandbox, and the carriers' replies reach the route that reads from each carrier.
/// </summary>
public sealed class CarrierRunTests
{
    private static string Config(string sandboxUrl) => $$"""
        router:
          storage: { kind: sqlite, path: ./data/router.db }
        endpoints:
          cdek-requests: { kind: folder, path: ./in/cdek, type: shipment.requested }
          boxberry-requests: { kind: folder, path: ./in/boxberry, type: shipment.requested }
          cdek:
            kind: cdek
            baseUrl: {{sandboxUrl}}/cdek/v2
            clientId: sandbox-cdek-account
            clientSecret: sandbox-cdek-secure-password
            shipment: { tariff: 136, shipmentPoint: NSK27 }
          boxberry:
            kind: boxberry
            url: {{sandboxUrl}}/boxberry/json.php
            token: sandbox-boxberry-token-0001
            shipment: { pointOfAcceptance: "010" }
          statuses: { kind: folder, path: ./out }
        routes:
          - id: ship-cdek
            from: cdek-requests
            to: [ cdek ]
          - id: ship-boxberry
            from: boxberry-requests
            to: [ boxberry ]
          - id: cdek-statuses
            from: cdek
            to: [ statuses ]
          - id: boxberry-statuses
            from: boxberry
            to: [ statuses ]
        """;

    private static string Request(string number, string carrier, string pickupPoint) => $$"""
        { "orderNumber": "{{number}}", "carrier": "{{carrier}}", "pickupPointId": "{{pickupPoint}}",
          "recipient": { "name": "Иванов Иван", "phone": "+79001234567" },
          "packages": [ { "number": "1", "weightGrams": 1200,
                          "items": [ { "sku": "SKU-1", "name": "Вентилятор", "quantity": 1, "unitPrice": { "amount": 1500, "currency": "RUB" }, "weightGrams": 500 } ] } ] }
        """;

    [Test]
    public async Task Shipments_are_registered_at_both_carriers_and_their_created_statuses_reach_the_routes()
    {
        using var directory = new TemporaryDirectory();
        var sandboxUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var config = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(config, Config(sandboxUrl));
        var past = DateTime.UtcNow.AddMinutes(-1);
        foreach (var (carrier, number, point) in new[] { ("cdek", "C-1001", "MSK123"), ("boxberry", "B-1001", "99451") })
        {
            var folder = directory.Combine("in", carrier);
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, number + ".json");
            await File.WriteAllTextAsync(file, Request(number, carrier, point));
            File.SetLastWriteTimeUtc(file, past);
        }

        var run = await Support.Cli.RunAsync("run", "--once", "--sandbox", "--sandbox-url", sandboxUrl, "--config", config);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var written = Directory.Exists(directory.Combine("out"))
            ? Directory.GetFiles(directory.Combine("out")).Select(File.ReadAllText).ToList()
            : [];
        Assert.That(written, Has.Count.EqualTo(2), run.ToString());
        var statuses = written.Select(text => JsonDocument.Parse(text).RootElement).ToList();
        var byCarrier = statuses.ToDictionary(s => Payload(s).GetProperty("carrier").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(Payload(byCarrier["cdek"]).GetProperty("state").GetString(), Is.EqualTo("created"));
            Assert.That(Payload(byCarrier["cdek"]).GetProperty("trackingNumber").GetString(), Does.Match("^[0-9]+$"));
            Assert.That(Payload(byCarrier["cdek"]).GetProperty("orderNumber").GetString(), Is.EqualTo("C-1001"));
            Assert.That(Payload(byCarrier["boxberry"]).GetProperty("state").GetString(), Is.EqualTo("created"));
            Assert.That(Payload(byCarrier["boxberry"]).GetProperty("trackingNumber").GetString(), Does.StartWith("AAP"));
        });

        var trace = await Support.Cli.RunAsync("trace", "order:C-1001", "--config", config);
        Assert.That(trace.ExitCode, Is.EqualTo(0), trace.ToString());
        Assert.That(trace.Out, Does.Contain("cdek-statuses"), trace.Out);
    }

    /// <summary>The folder endpoint writes the payload, or the whole envelope; either way the status is found.</summary>
    private static JsonElement Payload(JsonElement written) => written.TryGetProperty("payload", out var payload) ? payload : written;
}
