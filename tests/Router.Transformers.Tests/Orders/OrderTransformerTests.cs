using Router.Core.Canonical;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Transformers.Orders;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.Orders;

public class OrderTransformerTests
{
    private const string Order = """
        {
          "number": "1001",
          "customer": { "id": "c-1", "name": "Иван Петров", "email": " buyer@example.ru ", "phone": "8 (916) 123-45-67" },
          "lines": [
            { "sku": "A-1", "name": "Чайник", "quantity": 3, "unitPrice": { "amount": 1000.00, "currency": "RUB" },
              "discount": { "amount": 0.01, "currency": "RUB" }, "total": { "amount": 2999.99, "currency": "RUB" }, "vatRate": 20 },
            { "sku": "B-2", "name": "Кружка", "quantity": 1, "unitPrice": { "amount": 250.50, "currency": "RUB" }, "total": { "amount": 250.50, "currency": "RUB" } }
          ],
          "totals": {
            "goods": { "amount": 3250.49, "currency": "RUB" }, "delivery": { "amount": 300.00, "currency": "RUB" },
            "discount": { "amount": 0.01, "currency": "RUB" }, "total": { "amount": 3550.49, "currency": "RUB" }
          },
          "delivery": { "method": "courier", "address": { "city": "Москва", "street": "Тверская", "house": "7" } },
          "payment": { "method": "online" }
        }
        """;

    private static T Payload<T>(Envelope envelope) => RouterJson.Deserialize<T>(envelope.Payload.GetRawText());

    [Test]
    public void Payment_request_charges_the_order_total_with_a_receipt_line_per_order_line_and_one_for_delivery()
    {
        var output = Steps.Create(new PaymentRequestTransformerFactory(), """{ returnUrl: "https://shop.example/orders/{number}?paid=1" }""")
            .Single(TestMessages.Envelope(Order));

        Assert.Multiple(() =>
        {
            Assert.That(output.MessageId, Is.EqualTo("order:1001/payment"));
            Assert.That(output.Type, Is.EqualTo(MessageTypes.PaymentRequested));
            Assert.That(output.EntityKey, Is.EqualTo("order:1001"));
            Assert.That(output.CorrelationId, Is.EqualTo("corr-1"));
            Assert.That(output.CausationId, Is.EqualTo("msg-1"));
        });
        var request = Payload<PaymentRequest>(output);
        Assert.Multiple(() =>
        {
            Assert.That(request.Amount, Is.EqualTo(new Money(3550.49m)));
            Assert.That(request.Description, Is.EqualTo("Заказ №1001"));
            Assert.That(request.ReturnUrl, Is.EqualTo("https://shop.example/orders/1001?paid=1"));
            Assert.That(request.Capture, Is.True);
            Assert.That(request.Customer, Is.EqualTo(new PaymentCustomer("Иван Петров", "buyer@example.ru", "+79161234567")));
            Assert.That(request.Metadata, Is.EquivalentTo(new Dictionary<string, string> { ["orderNumber"] = "1001" }));
            Assert.That(request.Items, Is.EqualTo(new[]
            {
                new ReceiptItem("Чайник", 3, new Money(1000.00m), 4),
                new ReceiptItem("Кружка", 1, new Money(250.50m), 1),
                new ReceiptItem("Доставка", 1, new Money(300.00m), 1),
            }));
        });
    }

    [Test]
    public void Payment_request_takes_the_orders_own_return_url_and_the_configured_vat_code_and_stage()
    {
        var order = Order.Replace("\"method\": \"online\"", "\"method\": \"online\", \"returnUrl\": \"https://own.example/back\"", StringComparison.Ordinal);
        var request = Payload<PaymentRequest>(Steps.Create(new PaymentRequestTransformerFactory(),
            """{ returnUrl: "https://shop.example/{number}", vatCode: 6, capture: false }""").Single(TestMessages.Envelope(order)));

        Assert.That(request.ReturnUrl, Is.EqualTo("https://own.example/back"));
        Assert.That(request.Capture, Is.False);
        Assert.That(request.Items.Select(i => i.VatCode), Is.EqualTo(new[] { 4, 6, 6 }));
    }

    [Test]
    public void Payment_request_refuses_anything_but_an_order()
    {
        var transformer = Steps.Create(new PaymentRequestTransformerFactory(), "{}");
        var error = Assert.Throws<PermanentFailureException>(() => transformer.Transform(TestMessages.Envelope(Order, MessageTypes.OrderStatus), default!));
        Assert.That(error!.Message, Does.Contain("payment-request takes order.created, not order.status"));
        error = Assert.Throws<PermanentFailureException>(() => transformer.Transform(TestMessages.Envelope("""{ "number": 5 }"""), default!));
        Assert.That(error!.Code, Is.EqualTo(ErrorCodes.MalformedInput));
        Assert.That(error.Message, Does.Contain("payment-request").And.Contain("msg-1"));
    }

    [Test]
    public void Shipment_request_chooses_the_carrier_by_delivery_method_and_builds_one_parcel()
    {
        var output = Steps.Create(new ShipmentRequestTransformerFactory(), "{ carriers: { courier: cdek }, itemWeightGrams: 400, package: { lengthCm: 40 } }")
            .Single(TestMessages.Envelope(Order));
        var request = Payload<ShipmentRequest>(output);

        Assert.That(output.MessageId, Is.EqualTo("order:1001/shipment"));
        Assert.Multiple(() =>
        {
            Assert.That(request.Carrier, Is.EqualTo("cdek"));
            Assert.That(request.Tariff, Is.EqualTo("137"), "CDEK parcel to the door");
            Assert.That(request.PickupPointId, Is.Null);
            Assert.That(request.Address, Is.EqualTo(new Address(City: "Москва", Street: "Тверская", House: "7")));
            Assert.That(request.Recipient, Is.EqualTo(new ShipmentRecipient("Иван Петров", "+79161234567", "buyer@example.ru")));
            Assert.That(request.DeclaredValue, Is.EqualTo(new Money(3250.49m)));
            Assert.That(request.CashOnDelivery, Is.Null);
            Assert.That(request.DeliveryCost, Is.EqualTo(new Money(300.00m)));
            var parcel = request.Packages.Single();
            Assert.That(parcel.Number, Is.EqualTo("1001"));
            Assert.That(parcel.WeightGrams, Is.EqualTo(1600));
            Assert.That((parcel.LengthCm, parcel.WidthCm, parcel.HeightCm), Is.EqualTo((40, 20, 15)));
            Assert.That(parcel.Items.Select(i => (i.Sku, i.Quantity, i.UnitPrice.Amount, i.WeightGrams)),
                Is.EqualTo(new[] { ("A-1", 3m, 1000.00m, 400), ("B-2", 1m, 250.50m, 400) }));
        });
    }

    [Test]
    public void Shipment_request_to_a_boxberry_pickup_point_with_cash_on_delivery()
    {
        var order = Order
            .Replace("\"method\": \"courier\", \"address\": { \"city\": \"Москва\", \"street\": \"Тверская\", \"house\": \"7\" }",
                "\"method\": \"boxberry\", \"pickupPointId\": \"77001\"", StringComparison.Ordinal)
            .Replace("\"method\": \"online\"", "\"method\": \"cash-on-delivery\"", StringComparison.Ordinal);
        var request = Payload<ShipmentRequest>(Steps.Create(new ShipmentRequestTransformerFactory(), "{}").Single(TestMessages.Envelope(order)));

        Assert.That((request.Carrier, request.Tariff, request.PickupPointId), Is.EqualTo(("boxberry", "1", "77001")));
        Assert.That(request.CashOnDelivery, Is.EqualTo(new Money(3550.49m)));
    }

    [Test]
    public void Shipment_request_names_a_delivery_method_no_carrier_serves()
    {
        var error = Assert.Throws<PermanentFailureException>(() =>
            Steps.Create(new ShipmentRequestTransformerFactory(), "{}").Transform(TestMessages.Envelope(Order), default!));
        Assert.That(error!.Message, Does.Contain("no carrier for delivery method 'courier'"));
    }

    [Test]
    public void Notification_request_tells_the_customer_of_an_order_on_every_channel_with_an_address()
    {
        var output = Steps.Create(new NotificationRequestTransformerFactory(), "{}").Transform(TestMessages.Envelope(Order), default!);

        Assert.That(output.Select(e => e.MessageId), Is.EqualTo(new[] { "order:1001/notify/order-accepted/sms", "order:1001/notify/order-accepted/email" }));
        var sms = Payload<Notification>(output[0]);
        Assert.Multiple(() =>
        {
            Assert.That(output[0].Type, Is.EqualTo(MessageTypes.NotificationRequested));
            Assert.That(sms.Channel, Is.EqualTo(NotificationChannel.Sms));
            Assert.That(sms.Recipient, Is.EqualTo("+79161234567"));
            Assert.That(sms.Template, Is.EqualTo("order-accepted"));
            Assert.That(sms.OrderNumber, Is.EqualTo("1001"));
            Assert.That(sms.Data, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["orderNumber"] = "1001", ["customerName"] = "Иван Петров", ["amount"] = "3550.49", ["currency"] = "RUB",
            }));
        });
        Assert.That(Payload<Notification>(output[1]).Recipient, Is.EqualTo("buyer@example.ru"));
    }

    [Test]
    public void Notification_request_follows_the_status_of_an_event_and_takes_contacts_from_expressions()
    {
        var transformer = Steps.Create(new NotificationRequestTransformerFactory(),
            "{ channels: sms, phone: $.contact, name: \"'Анна'\" }");
        var shipment = TestMessages.Envelope("""
            { "orderNumber": "1001", "carrier": "cdek", "state": "arrived-at-pickup-point", "carrierCode": "ACCEPTED_AT_PICK_UP_POINT",
              "trackingNumber": "1234567890", "contact": "+7 916 000-11-22" }
            """, MessageTypes.ShipmentStatusChanged);

        var notification = Payload<Notification>(transformer.Single(shipment));

        Assert.That(notification.Template, Is.EqualTo("order-ready-for-pickup"));
        Assert.That(notification.Recipient, Is.EqualTo("+79160001122"));
        Assert.That(notification.Data, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["orderNumber"] = "1001", ["customerName"] = "Анна", ["carrier"] = "cdek", ["trackingNumber"] = "1234567890",
        }));
        var inTransit = TestMessages.Envelope(shipment.Payload.GetRawText().Replace("arrived-at-pickup-point", "in-transit", StringComparison.Ordinal),
            MessageTypes.ShipmentStatusChanged);
        Assert.That(transformer.Transform(inTransit, default!), Is.Empty, "nobody is told about a parcel in transit");
    }

    [Test]
    public void Notification_request_of_a_payment_carries_its_link_and_drops_what_cannot_be_delivered()
    {
        var payment = TestMessages.Envelope("""
            { "paymentId": "p-1", "orderNumber": "1001", "amount": { "amount": 10.5, "currency": "RUB" }, "status": "pending",
              "confirmationUrl": "https://yoomoney.ru/checkout/p-1", "phone": "12345", "email": "not-an-address" }
            """, MessageTypes.PaymentStatusChanged);

        var withContacts = Steps.Create(new NotificationRequestTransformerFactory(), "{ phone: $.phone, email: \"'a@b.ru'\" }").Transform(payment, default!);
        Assert.That(withContacts.Select(e => e.MessageId), Is.EqualTo(new[] { "order:1001/notify/order-accepted/email" }), "12345 is no phone number");
        Assert.That(Payload<Notification>(withContacts[0]).Data["paymentUrl"], Is.EqualTo("https://yoomoney.ru/checkout/p-1"));
        Assert.That(Payload<Notification>(withContacts[0]).Data["amount"], Is.EqualTo("10.5"));

        var withoutContacts = Steps.Create(new NotificationRequestTransformerFactory(), "{ template: order-paid }").Transform(payment, default!);
        Assert.That(withoutContacts, Is.Empty);
    }
}
