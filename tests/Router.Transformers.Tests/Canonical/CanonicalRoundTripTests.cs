using System.Text.Json;
using Router.Core.Canonical;
using Router.Core.Messages;

namespace Router.Transformers.Tests.Canonical;

/// <summary>
/// Every canonical record through System.Text.Json with the router's options: what is written reads back to the
/// same thing, money stays decimal-exact, enums are kebab-case text, and readers tolerate fields added later.
/// </summary>
public class CanonicalRoundTripTests
{
    private static readonly Address Moscow = new(City: "Москва", Street: "Тверская", House: "7", Apartment: "12", PostalCode: "125009");

    private static readonly Customer Ivan = new()
    {
        Id = "c-42", Name = "Иван Петров", Email = "ivan@example.ru", Phone = "+79161234567",
        CompanyName = "ООО «Ромашка»", Inn = "7707083893", Kpp = "773601001", Address = Moscow,
    };

    private static readonly Order SampleOrder = new()
    {
        Number = "1001",
        Version = 3,
        CreatedAt = new DateTimeOffset(2024, 3, 5, 14, 30, 0, TimeSpan.FromHours(3)),
        Customer = Ivan,
        Lines =
        [
            new OrderLine { Sku = "ЧАЙ-1", ProductId = "p-1", Name = "Чайник «Уют»", Quantity = 3, UnitPrice = Money.Rub(19.99m), Total = Money.Rub(59.97m), VatRate = 20 },
            new OrderLine { Sku = "ЧАШ-2", Name = "Чашка", Quantity = 0.5m, UnitPrice = Money.Rub(0.10m), Discount = Money.Rub(0.05m), Total = Money.Rub(0.00m) },
        ],
        Totals = new OrderTotals(Money.Rub(59.97m), Money.Rub(350.00m), Money.Rub(0.00m), Money.Rub(409.97m)),
        Delivery = new Delivery { Method = "cdek", Tariff = "136", PickupPointId = "MSK123", Cost = Money.Rub(350.00m) },
        Payment = new PaymentTerms { Method = "online", ReturnUrl = "https://shop.example/return" },
        Comment = "Позвонить за час",
    };

    private static IEnumerable<TestCaseData> Samples()
    {
        yield return Case(new Product
        {
            Id = "p-1", Sku = "ЧАЙ-1", Name = "Чайник «Уют» 1,7 л", Description = "Стекло", Barcode = "4601234567890", Unit = "шт",
            Groups = [new ProductGroup("g-1", "Кухня"), new ProductGroup("g-2", "Чайники", "g-1")],
            Properties = [new ProductProperty("prop-1", "Цвет", "Белый", "v-1"), new ProductProperty("prop-2", "Объём", null)],
            Requisites = [new ProductRequisite("ВидНоменклатуры", "Товар")],
            Pictures = ["import_files/ab/abc.jpg"],
            Active = false,
        });
        yield return Case(new Offer
        {
            Id = "p-1#ch-1", ProductId = "p-1", CharacteristicId = "ch-1", Name = "Чайник (белый)",
            Prices = [new OfferPrice("retail", Money.Rub(1990.00m), "шт", 1m), new OfferPrice("wholesale1", new Money(0.30m, "USD"))],
            Stock = [new OfferStock("main", 12.5m), new OfferStock("spb", 0m)],
            TotalQuantity = 12.5m,
        });
        yield return Case(Ivan);
        yield return Case(SampleOrder);
        yield return Case(new OrderStatus
        {
            OrderNumber = "1001", Status = "confirmed", ExternalNumber = "УТ-000123",
            ExternalDate = new DateTimeOffset(2024, 3, 6, 0, 0, 0, TimeSpan.FromHours(3)), Posted = true, DeletionMark = false,
            ChangedAt = new DateTimeOffset(2024, 3, 6, 9, 15, 0, TimeSpan.Zero),
            Requisites = new Dictionary<string, string> { ["Номер по 1С"] = "УТ-000123", ["Проведен"] = "true" },
        });
        yield return Case(new Payment
        {
            PaymentId = "2d9a7c1e-000f-5000-9000-1b2c3d4e5f60", OrderNumber = "1001", Amount = Money.Rub(409.97m),
            Status = PaymentState.WaitingForCapture, Paid = true, ConfirmationUrl = "https://yoomoney.example/checkout",
            CapturedAt = new DateTimeOffset(2024, 3, 5, 11, 31, 0, TimeSpan.Zero),
        });
        yield return Case(new Refund
        {
            RefundId = "r-1", PaymentId = "2d9a7c1e-000f-5000-9000-1b2c3d4e5f60", OrderNumber = "1001",
            Amount = Money.Rub(0.01m), Status = RefundState.Succeeded, Reason = "Не подошёл цвет",
        });
        yield return Case(new Shipment
        {
            OrderNumber = "1001", Carrier = "cdek", TrackingNumber = "1234567890", CarrierOrderId = "72753034-ab3c-4b0d",
            Tariff = "136", PickupPointId = "MSK123", Address = Moscow, Cost = Money.Rub(350.00m), WeightKg = 1.250m,
        });
        yield return Case(new ShipmentStatus
        {
            OrderNumber = "1001", Carrier = "boxberry", State = ShipmentState.ArrivedAtPickupPoint, CarrierCode = "7",
            CarrierName = "Поступило в пункт выдачи", TrackingNumber = "BB123", ChangedAt = new DateTimeOffset(2024, 3, 9, 10, 0, 0, TimeSpan.FromHours(5)),
            City = "Екатеринбург",
        });
        yield return Case(new PickupPoint
        {
            Carrier = "cdek", Code = "MSK123", Name = "На Тверской", Address = Moscow, WorkSchedule = "Пн-Пт 10:00-20:00",
            Latitude = 55.7575430m, Longitude = 37.6120310m, CashOnDelivery = true,
        });
        yield return Case(new Notification
        {
            Channel = NotificationChannel.Sms, Recipient = "+79161234567", Template = "order-shipped", Subject = "Заказ отправлен",
            OrderNumber = "1001", Data = new Dictionary<string, string> { ["трек"] = "1234567890", ["carrier"] = "СДЭК" },
        });
    }

    private static TestCaseData Case<T>(T value) => new TestCaseData(value, typeof(T)).SetArgDisplayNames(typeof(T).Name);

    [TestCaseSource(nameof(Samples))]
    public void A_record_reads_back_to_what_was_written(object value, Type type)
    {
        var json = JsonSerializer.Serialize(value, type, RouterJson.Options);

        var back = JsonSerializer.Deserialize(json, type, RouterJson.Options)!;

        Assert.That(JsonSerializer.Serialize(back, type, RouterJson.Options), Is.EqualTo(json));
        Assert.That(json, Does.Not.Contain("\\u04"), "Cyrillic is written as it is");
    }

    [TestCaseSource(nameof(Samples))]
    public void Unknown_fields_added_later_are_ignored(object value, Type type)
    {
        var json = JsonSerializer.Serialize(value, type, RouterJson.Options);
        var extended = "{\"addedInVersion2\":{\"nested\":[1,2,3]},\"flag\":true," + json[1..];

        var back = JsonSerializer.Deserialize(extended, type, RouterJson.Options)!;

        Assert.That(JsonSerializer.Serialize(back, type, RouterJson.Options), Is.EqualTo(json));
    }

    [Test]
    public void Money_is_written_as_an_exact_decimal_number()
    {
        var json = RouterJson.Serialize(SampleOrder);

        Assert.That(json, Does.Contain("\"unitPrice\":{\"amount\":19.99,\"currency\":\"RUB\"}"));
        Assert.That(json, Does.Contain("\"delivery\":{\"amount\":350.00,\"currency\":\"RUB\"}"));
        Assert.That(json, Does.Contain("\"total\":{\"amount\":409.97,\"currency\":\"RUB\"}"));
    }

    [Test]
    public void Money_read_back_is_exactly_the_money_written()
    {
        var back = RouterJson.Deserialize<Order>(RouterJson.Serialize(SampleOrder));

        Assert.That(back.Totals.Total.Amount, Is.EqualTo(409.97m));
        Assert.That(back.Lines.Sum(l => l.Total.Amount) + back.Totals.Delivery.Amount, Is.EqualTo(back.Totals.Total.Amount));
        Assert.That(back.Lines[1].UnitPrice.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo("0.10"), "the scale is kept");
    }

    [TestCase("0.1", "0.2", "0.3")]
    [TestCase("12345678901234567.89", "0.01", "12345678901234567.90")]
    [TestCase("0.30", "0.00", "0.30")]
    public void Amounts_that_binary_floating_point_cannot_hold_stay_exact(string a, string b, string sum)
    {
        var first = RouterJson.Deserialize<Money>($$"""{"amount":{{a}},"currency":"RUB"}""");
        var second = RouterJson.Deserialize<Money>($$"""{"amount":{{b}},"currency":"RUB"}""");

        var total = new Money(first.Amount + second.Amount, "RUB");

        Assert.That(RouterJson.Serialize(total), Is.EqualTo($$"""{"amount":{{sum}},"currency":"RUB"}"""));
    }

    [Test]
    public void Money_written_as_text_is_refused()
    {
        Assert.Throws<JsonException>(() => RouterJson.Deserialize<Money>("""{"amount":"12.50","currency":"RUB"}"""));
    }

    [TestCase(PaymentState.WaitingForCapture, "\"waiting-for-capture\"")]
    [TestCase(PaymentState.Canceled, "\"canceled\"")]
    [TestCase(RefundState.Succeeded, "\"succeeded\"")]
    [TestCase(ShipmentState.ArrivedAtPickupPoint, "\"arrived-at-pickup-point\"")]
    [TestCase(ShipmentState.InTransit, "\"in-transit\"")]
    [TestCase(NotificationChannel.Email, "\"email\"")]
    public void Enums_are_kebab_case_text_both_ways(object value, string json)
    {
        Assert.That(JsonSerializer.Serialize(value, value.GetType(), RouterJson.Options), Is.EqualTo(json));
        Assert.That(JsonSerializer.Deserialize(json, value.GetType(), RouterJson.Options), Is.EqualTo(value));
    }

    [Test]
    public void An_enum_value_nobody_knows_is_refused()
    {
        Assert.Throws<JsonException>(() => RouterJson.Deserialize<PaymentState>("\"half-paid\""));
    }

    [Test]
    public void Field_names_are_camel_case_and_absent_values_are_left_out()
    {
        var json = RouterJson.Serialize(new Customer { Id = "c-1", Name = "Иван" });

        Assert.That(json, Is.EqualTo("""{"id":"c-1","name":"Иван"}"""));
    }

    [Test]
    public void A_record_without_its_required_fields_is_refused()
    {
        Assert.Throws<JsonException>(() => RouterJson.Deserialize<Order>("""{"customer":{"id":"c"},"totals":null}"""));
    }
}
