using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Endpoints.Boxberry;
using Router.Endpoints.Tests.Carriers;
using Router.Transformers.Boxberry;
using Router.Transformers.Carriers;

namespace Router.Endpoints.Tests.Boxberry;

/// <summary>Boxberry's wire without a server: the shared samples, the error shapes inside HTTP 200, statuses, dates, the parcel mapping.</summary>
public sealed class BoxberryWireTests
{
    [Test]
    public void Every_boxberry_sample_parses_as_what_it_is()
    {
        var samples = ApiSamples.Named("boxberry_").ToList();
        Assert.That(samples, Has.Count.EqualTo(15));
        foreach (var name in samples)
        {
            var body = ApiSamples.Read(name);
            var error = BoxberryAnswer.ErrorIn(body);
            if (name.Contains("_ErrorResponse_"))
            {
                Assert.That(error, Is.Not.Null, name);
                continue;
            }
            Assert.That(error, Is.Null, name);
            switch (name)
            {
                case "boxberry_Response_listPoints.json":
                    var point = JsonSerializer.Deserialize<List<BoxberryPoint>>(body, BoxberryJson.Options)!.Single();
                    Assert.That(point.Code, Is.EqualTo("99451"));
                    Assert.That(point.CityCode, Is.EqualTo("68"));
                    break;
                case "boxberry_Response_deliveryCosts.json":
                    var cost = JsonSerializer.Deserialize<BoxberryCost>(body, BoxberryJson.Options)!;
                    Assert.That(cost.Price, Is.EqualTo(671m));
                    Assert.That(cost.DeliveryPeriod, Is.EqualTo(4), "a string in the sample");
                    break;
                case "boxberry_Response_parcelCreate.json":
                    Assert.That(JsonSerializer.Deserialize<BoxberryCreated>(body, BoxberryJson.Options)!.Track, Is.EqualTo("AAP127020243"));
                    break;
                case "boxberry_Response_parcelCheck.json":
                    Assert.That(JsonSerializer.Deserialize<BoxberryLabel>(body, BoxberryJson.Options)!.Label, Does.StartWith("https://api.boxberry.ru/parcel-files/"));
                    break;
                case "boxberry_Response_listStatuses.json":
                    var status = JsonSerializer.Deserialize<List<BoxberryStatus>>(body, BoxberryJson.Options)!.Single();
                    Assert.That(status.At, Is.EqualTo(new DateTimeOffset(2020, 12, 26, 12, 23, 26, TimeSpan.FromHours(3))));
                    Assert.That(BoxberryStatuses.StateOf(status.Name), Is.EqualTo(ShipmentState.Created));
                    break;
                case "boxberry_Response_listStatusesFull.json":
                    var full = JsonSerializer.Deserialize<BoxberryStatusesFull>(body, BoxberryJson.Options)!;
                    Assert.That(full.Statuses!.Single().At, Is.EqualTo(new DateTimeOffset(2020, 12, 26, 12, 23, 0, TimeSpan.FromHours(3))));
                    Assert.That(full.Sum, Is.EqualTo(1595m));
                    break;
                case "boxberry_Response_changeOrder.json":
                    Assert.That(body, Does.Contain("\"err\": false"));
                    break;
                case "boxberry_Requests_parcelCreate.json":
                    Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("order_id").GetString(), Is.EqualTo("Тестовый заказ 666"));
                    break;
                default:
                    Assert.That(JsonDocument.Parse(body).RootElement.ValueKind, Is.AnyOf(JsonValueKind.Object, JsonValueKind.Array), name);
                    break;
            }
        }
    }

    [TestCase("boxberry_ErrorResponse_ErrString.json", BoxberryErrorShape.ErrText, "blah-blah.")]
    [TestCase("boxberry_ErrorResponse_ErrBool.json", BoxberryErrorShape.ErrFlag, "должны быть целыми числами")]
    [TestCase("boxberry_ErrorResponse_ErrorMessage.json", BoxberryErrorShape.ErrorFlag, "должны быть целыми числами")]
    public void The_three_error_shapes_of_the_samples_are_recognised_as_permanent(string sample, BoxberryErrorShape shape, string message)
    {
        var error = BoxberryAnswer.ErrorIn(ApiSamples.Read(sample))!;
        Assert.That(error.Shape, Is.EqualTo(shape));
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.ToException("ParselCreate"), Is.TypeOf<PermanentFailureException>());
    }

    [TestCase("""[{"err":"Посылка не найдена"}]""", BoxberryErrorShape.InList)]
    [TestCase("", BoxberryErrorShape.NotJson)]
    [TestCase("<html><body>502 Bad Gateway</body></html>", BoxberryErrorShape.NotJson)]
    public void List_wrapped_empty_and_non_json_answers_are_errors_too(string body, BoxberryErrorShape shape)
    {
        Assert.That(BoxberryAnswer.ErrorIn(body)!.Shape, Is.EqualTo(shape));
    }

    [Test]
    public void An_empty_or_html_body_is_transient_and_err_false_is_success()
    {
        Assert.That(BoxberryAnswer.ErrorIn("")!.ToException("x"), Is.TypeOf<TransientFailureException>());
        Assert.That(BoxberryAnswer.ErrorIn("""{"err":false}"""), Is.Null);
        Assert.That(BoxberryAnswer.ErrorIn("""[{"Date":"2020-12-26 12:23:26","Name":"Загружен реестр ИМ"}]"""), Is.Null);
        Assert.That(BoxberryAnswer.ErrorIn("""{"err":"Ошибка: значение «A-1» поля order_id уже занято"}""")!.IsAlreadyTaken, Is.True);
    }

    [TestCase("Загружен реестр ИМ", ShipmentState.Created, false)]
    [TestCase("Принято к доставке", ShipmentState.Accepted, false)]
    [TestCase("Отправлено в город назначения", ShipmentState.InTransit, false)]
    [TestCase("  поступило  в пункт выдачи", ShipmentState.ArrivedAtPickupPoint, false)]
    [TestCase("Выдано", ShipmentState.Delivered, true)]
    [TestCase("Готовится к возврату", ShipmentState.NotDelivered, false)]
    [TestCase("Возвращено в ИМ", ShipmentState.Returned, true)]
    [TestCase("Новый статус, которого нет в списке", ShipmentState.InTransit, false)]
    public void Russian_status_names_map_to_canonical_states(string name, ShipmentState state, bool final)
    {
        Assert.That(BoxberryStatuses.StateOf(name), Is.EqualTo(state));
        Assert.That(BoxberryStatuses.IsFinal(name), Is.EqualTo(final));
    }

    [Test]
    public void A_pickup_point_parcel_is_vid_1_with_the_point_in_shop_name()
    {
        var sdata = BoxberryParcelMapping.ToSdata(Shipments.Request("A-1001", "boxberry", pickupPoint: "99451"), new BoxberryShipmentDefaults { PointOfAcceptance = "010" });
        Assert.That(sdata["vid"]!.GetValue<string>(), Is.EqualTo("1"));
        Assert.That(sdata["shop"]!["name"]!.GetValue<string>(), Is.EqualTo("99451"));
        Assert.That(sdata["shop"]!["name1"]!.GetValue<string>(), Is.EqualTo("010"));
        Assert.That(sdata.ContainsKey("kurdost"), Is.False);
        Assert.That(sdata["price"]!.GetValue<string>(), Is.EqualTo("3000.00"));
        Assert.That(sdata["payment_sum"]!.GetValue<string>(), Is.EqualTo("0.00"));
        Assert.That(sdata["customer"]!["phone"]!.GetValue<string>(), Is.EqualTo("9001234567"));
        Assert.That(sdata["weights"]!["weight"]!.GetValue<string>(), Is.EqualTo("1200"));
        Assert.That(sdata["items"]![0]!["quantity"]!.GetValue<string>(), Is.EqualTo("2"));
    }

    [Test]
    public void A_courier_parcel_is_vid_2_with_the_address_and_later_places_are_numbered()
    {
        var request = Shipments.Request("A-1002", "boxberry", pickupPoint: null);
        request = request with { Packages = [.. request.Packages, new ShipmentPackage { Number = "2", WeightGrams = 150, LengthCm = 10, WidthCm = 15, HeightCm = 10 }] };
        var sdata = BoxberryParcelMapping.ToSdata(request, new BoxberryShipmentDefaults());
        Assert.That(sdata["vid"]!.GetValue<string>(), Is.EqualTo("2"));
        Assert.That(sdata["kurdost"]!["citi"]!.GetValue<string>(), Is.EqualTo("Москва"));
        Assert.That(sdata["kurdost"]!["addressp"]!.GetValue<string>(), Is.EqualTo("ул. Тверская, д 7, кв 12"));
        Assert.That(sdata["weights"]!["weight2"]!.GetValue<string>(), Is.EqualTo("150"));
        Assert.That(sdata["weights"]!["y2"]!.GetValue<string>(), Is.EqualTo("15"));
    }

    [Test]
    public void An_order_id_boxberry_would_refuse_is_refused_before_sending()
    {
        Assert.That(() => BoxberryParcelMapping.ToSdata(Shipments.Request("A#1", "boxberry"), new BoxberryShipmentDefaults()),
            Throws.TypeOf<ShipmentMappingException>().With.Message.Contains("order_id"));
        Assert.That(() => BoxberryParcelMapping.ToSdata(Shipments.Request(new string('1', 36), "boxberry"), new BoxberryShipmentDefaults()),
            Throws.TypeOf<ShipmentMappingException>());
        Assert.That(() => BoxberryParcelMapping.ToSdata(Shipments.Request("A-1", "boxberry", pickupPoint: null, tariff: "1"), new BoxberryShipmentDefaults()),
            Throws.TypeOf<ShipmentMappingException>().With.Message.Contains("names none"));
    }
}
