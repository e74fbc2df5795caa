using System.Text.Json;
using System.Text.Json.Nodes;
using Router.Core.Canonical;
using Router.Endpoints.Cdek;
using Router.Endpoints.Tests.Carriers;
using Router.Transformers.Carriers;
using Router.Transformers.Cdek;

namespace Router.Endpoints.Tests.Cdek;

/// <summary>CDEK's wire quirks without a server: the shared samples, +0700 dates, status codes old and new, the order mapping.</summary>
public sealed class CdekWireTests
{
    [Test]
    public void Every_cdek_sample_parses_and_the_webhook_code_is_trimmed()
    {
        var samples = ApiSamples.Named("cdek_").ToList();
        Assert.That(samples, Is.Not.Empty);
        foreach (var name in samples)
        {
            var webhook = JsonSerializer.Deserialize<CdekWebhook>(ApiSamples.Read(name), CdekJson.Options)!;
            Assert.That(webhook.Type, Is.EqualTo(CdekWebhook.OrderStatusType), name);
            Assert.That(webhook.Uuid, Is.EqualTo("72753031-2801-4186-a091-0be58cedfee7"), name);
            // The sample's code ends in a space, as CDEK's own example does.
            Assert.That(webhook.Attributes!.Code, Does.EndWith(" "), name);
            Assert.That(CdekStatusCodes.Normalise(webhook.Attributes.Code), Is.EqualTo("RECEIVED_AT_SHIPMENT_WAREHOUSE"), name);
            Assert.That(CdekStatusCodes.StateOf(webhook.Attributes.Code), Is.EqualTo(ShipmentState.Accepted), name);
            Assert.That(webhook.Attributes.CdekNumber, Is.EqualTo("1106321645"), name);
            Assert.That(CdekDateTime.Parse(webhook.Attributes.StatusDateTime), Is.EqualTo(new DateTimeOffset(2020, 8, 10, 21, 32, 12, TimeSpan.FromHours(7))), name);
        }
    }

    [Test]
    public void Cdek_number_reads_as_a_number_or_as_a_string()
    {
        var asNumber = JsonSerializer.Deserialize<CdekEnvelope>("""{"entity":{"uuid":"u","cdek_number":1106321645}}""", CdekJson.Options)!;
        var asString = JsonSerializer.Deserialize<CdekEnvelope>("""{"entity":{"uuid":"u","cdek_number":"1106321645"}}""", CdekJson.Options)!;
        Assert.That(asNumber.Entity!.CdekNumber, Is.EqualTo("1106321645"));
        Assert.That(asString.Entity!.CdekNumber, Is.EqualTo("1106321645"));
    }

    [TestCase("2020-02-10T11:10:34+0700", 7)]
    [TestCase("2020-02-10T11:10:34-0300", -3)]
    [TestCase("2020-02-10T11:10:34+07:00", 7)]
    public void Cdek_dates_parse_with_or_without_the_colon_in_the_offset(string text, int offsetHours)
    {
        Assert.That(CdekDateTime.Parse(text), Is.EqualTo(new DateTimeOffset(2020, 2, 10, 11, 10, 34, TimeSpan.FromHours(offsetHours))));
    }

    [Test]
    public void Cdek_dates_are_written_the_way_cdek_writes_them()
    {
        Assert.That(CdekDateTime.Format(new DateTimeOffset(2020, 2, 10, 11, 10, 34, TimeSpan.FromHours(7))), Is.EqualTo("2020-02-10T11:10:34+0700"));
    }

    [TestCase("RECEIVED_AT_SHIPMENT_WAREHOUSE", ShipmentState.Accepted)]
    [TestCase("RECEIVED_AT_SENDER_WAREHOUSE", ShipmentState.Accepted)] // legacy SDK name
    [TestCase("SENT_TO_TRANSIT_CITY", ShipmentState.InTransit)] // legacy
    [TestCase("SEND_TO_RECIPIENT_OFFICE", ShipmentState.InTransit)]
    [TestCase("ACCEPTED_AT_PICK_UP_POINT", ShipmentState.ArrivedAtPickupPoint)] // legacy
    [TestCase("ACCEPTED_AT_WAREHOUSE_ON_DEMAND", ShipmentState.ArrivedAtPickupPoint)]
    [TestCase("POSTOMAT_POSTED", ShipmentState.ArrivedAtPickupPoint)]
    [TestCase("TAKEN_BY_COURIER", ShipmentState.OutForDelivery)] // legacy
    [TestCase("ISSUED_FOR_DELIVERY", ShipmentState.OutForDelivery)]
    [TestCase(" DELIVERED ", ShipmentState.Delivered)]
    [TestCase("NOT_DELIVERED", ShipmentState.NotDelivered)]
    [TestCase("REMOVED", ShipmentState.Cancelled)]
    [TestCase("CREATED", ShipmentState.Created)]
    [TestCase("ACCEPTED", ShipmentState.Created)]
    public void Current_and_legacy_status_codes_map_to_canonical_states(string code, ShipmentState state)
    {
        Assert.That(CdekStatusCodes.StateOf(code), Is.EqualTo(state));
    }

    [Test]
    public void Only_delivered_not_delivered_and_removed_are_final_and_unknown_codes_are_not()
    {
        Assert.That(CdekStatusCodes.IsFinal("DELIVERED"), Is.True);
        Assert.That(CdekStatusCodes.IsFinal("NOT_DELIVERED"), Is.True);
        Assert.That(CdekStatusCodes.IsFinal("REMOVED"), Is.True);
        Assert.That(CdekStatusCodes.IsFinal("RECEIVED_AT_SHIPMENT_WAREHOUSE"), Is.False);
        Assert.That(CdekStatusCodes.IsKnown("SOMETHING_NEW_IN_2027"), Is.False);
        Assert.That(CdekStatusCodes.IsFinal("SOMETHING_NEW_IN_2027"), Is.False);
    }

    private static readonly CdekShipmentDefaults Defaults = new() { Tariff = 136, FromCityCode = 270, FromAddress = "ул. Большевистская, 101" };

    [Test]
    public void A_pickup_point_shipment_names_the_delivery_point_and_no_to_location()
    {
        var order = CdekOrderMapping.ToCdekOrder(Shipments.Request("A-1001", "cdek", pickupPoint: "MSK123"), Defaults);
        Assert.That(order["number"]!.GetValue<string>(), Is.EqualTo("A-1001"));
        Assert.That(order["tariff_code"]!.GetValue<int>(), Is.EqualTo(136));
        Assert.That(order["delivery_point"]!.GetValue<string>(), Is.EqualTo("MSK123"));
        Assert.That(order.ContainsKey("to_location"), Is.False);
        Assert.That(order["from_location"]!["code"]!.GetValue<int>(), Is.EqualTo(270));
        Assert.That(order.ContainsKey("shipment_point"), Is.False);
        Assert.That(order["recipient"]!["phones"]![0]!["number"]!.GetValue<string>(), Is.EqualTo("+79001234567"));
        var item = order["packages"]![0]!["items"]![0]!;
        Assert.That(item["ware_key"]!.GetValue<string>(), Is.EqualTo("SKU-1"));
        Assert.That(item["amount"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(item["payment"]!["value"]!.GetValue<decimal>(), Is.EqualTo(0m), "prepaid: the recipient pays nothing");
    }

    [Test]
    public void A_door_shipment_names_the_to_location_and_the_request_tariff_wins()
    {
        var order = CdekOrderMapping.ToCdekOrder(Shipments.Request("A-1002", "cdek", pickupPoint: null, tariff: "137"), Defaults with { FromCityCode = null, FromAddress = null, ShipmentPoint = "NSK27" });
        Assert.That(order["tariff_code"]!.GetValue<int>(), Is.EqualTo(137));
        Assert.That(order.ContainsKey("delivery_point"), Is.False);
        Assert.That(order["to_location"]!["address"]!.GetValue<string>(), Is.EqualTo("ул. Тверская, д. 7, кв. 12"));
        Assert.That(order["shipment_point"]!.GetValue<string>(), Is.EqualTo("NSK27"));
        Assert.That(order.ContainsKey("from_location"), Is.False);
    }

    [Test]
    public void Cash_on_delivery_asks_the_recipient_for_the_goods_and_the_delivery()
    {
        var request = Shipments.Request("A-1003", "cdek") with { CashOnDelivery = Money.Rub(3350m) };
        var order = CdekOrderMapping.ToCdekOrder(request, Defaults);
        Assert.That(order["packages"]![0]!["items"]![0]!["payment"]!["value"]!.GetValue<decimal>(), Is.EqualTo(1500m));
        Assert.That(order["delivery_recipient_cost"]!["value"]!.GetValue<decimal>(), Is.EqualTo(350m));
    }

    [Test]
    public void What_cdek_would_refuse_is_refused_with_a_reason_before_sending()
    {
        Assert.That(() => CdekOrderMapping.ToCdekOrder(Shipments.Request("A-1", "cdek"), Defaults with { Tariff = null }),
            Throws.TypeOf<ShipmentMappingException>().With.Message.Contains("tariff"));
        Assert.That(() => CdekOrderMapping.ToCdekOrder(Shipments.Request("A-1", "cdek") with { Packages = [] }, Defaults),
            Throws.TypeOf<ShipmentMappingException>().With.Message.Contains("packages"));
        Assert.That(() => CdekOrderMapping.ToCdekOrder(Shipments.Request("A-1", "cdek", pickupPoint: null) with { Address = null }, Defaults),
            Throws.TypeOf<ShipmentMappingException>().With.Message.Contains("neither a pickup point nor an address"));
        Assert.That(() => CdekOrderMapping.ToCdekOrder(Shipments.Request("A-1", "cdek"), new CdekShipmentDefaults { Tariff = 136 }),
            Throws.TypeOf<ShipmentMappingException>().With.Message.Contains("leave from"));
        Assert.That(() => CdekOrderMapping.ToCdekOrder(Shipments.Request("A-1", "cdek", tariff: "склад"), Defaults),
            Throws.TypeOf<ShipmentMappingException>().With.Message.Contains("tariff_code"));
    }
}
