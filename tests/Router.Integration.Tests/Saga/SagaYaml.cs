namespace Router.Integration.Tests.Saga;

/// <summary>
/// An order saga wired to recording folder endpoints (each partner's commands land as envelope files in out/&lt;partner&gt;),
/// and inbound folders through which a test plays the partners' events back, as their webhooks and replies would.
/// </summary>
internal static class SagaYaml
{
    public static string Config(string paymentTimeout = "30m", string storage = "storage: { kind: sqlite, path: ./data/router.db }",
        string transport = "transport: { kind: sqlite }", int sagaParallelism = 1) => $$"""
        router:
          {{transport}}
          {{storage}}
          defaults:
            resilience:
              timeout: 5s
              retry: { attempts: 2, delay: 10ms, jitter: false }
              circuitBreaker: false
              redelivery: { delays: [] }
        endpoints:
          orders-in:
            kind: folder
            path: ./in/orders
            type: order.created
            messageId: "'order:' + $.number + '/created'"
            entityKey: "'order:' + $.number"
          cancels-in:
            kind: folder
            path: ./in/cancels
            type: order.cancelled
            messageId: "'order:' + $.number + '/cancelled'"
            entityKey: "'order:' + $.number"
          payments-in:
            kind: folder
            path: ./in/payments
            type: payment.status-changed
            messageId: "'yookassa:payment:' + $.paymentId + ':' + $.status + ($.via ? ':' + $.via : '')"
            entityKey: "'order:' + $.orderNumber"
          shipments-in:
            kind: folder
            path: ./in/shipments
            type: shipment.status-changed
            messageId: "$.carrier + ':' + $.orderNumber + ':' + $.state"
            entityKey: "'order:' + $.orderNumber"
        {{Recorder("yookassa")}}
        {{Recorder("cdek")}}
        {{Recorder("boxberry")}}
        {{Recorder("onec-orders")}}
        {{Recorder("sms")}}
        {{Recorder("email")}}
          order-saga:
            kind: order-saga
            parallelism: {{sagaParallelism}}
            payment: yookassa
            carriers: { cdek: cdek, boxberry: boxberry }
            onec: onec-orders
            notifications: { sms: sms, email: email }
            paymentTimeout: {{paymentTimeout}}
            returnUrl: "https://shop.example/orders/{number}"
        routes:
          - { id: orders, from: orders-in, to: [ order-saga ] }
          - { id: cancels, from: cancels-in, to: [ order-saga ] }
          - { id: payments, from: payments-in, to: [ order-saga ] }
          - { id: shipments, from: shipments-in, to: [ order-saga ] }
        """;

    private static string Recorder(string id) => $$"""
          {{id}}:
            kind: folder
            path: ./out/{{id}}
            fileName: "{messageId}.json"
            body: envelope
        """;

    public static string Order(string number, string method = "cdek", string phone = "8 (916) 123-45-67", string email = "buyer@example.ru") => $$"""
        {
          "number": "{{number}}",
          "customer": { "id": "c-1", "name": "Иван Петров", "email": "{{email}}", "phone": "{{phone}}" },
          "lines": [
            { "sku": "A-1", "name": "Чайник", "quantity": 2, "unitPrice": { "amount": 1000.00, "currency": "RUB" }, "total": { "amount": 2000.00, "currency": "RUB" }, "vatRate": 20 },
            { "sku": "B-2", "name": "Кружка", "quantity": 1, "unitPrice": { "amount": 250.50, "currency": "RUB" }, "total": { "amount": 250.50, "currency": "RUB" } }
          ],
          "totals": {
            "goods": { "amount": 2250.50, "currency": "RUB" },
            "delivery": { "amount": 300.00, "currency": "RUB" },
            "discount": { "amount": 0, "currency": "RUB" },
            "total": { "amount": 2550.50, "currency": "RUB" }
          },
          "delivery": { "method": "{{method}}", "pickupPointId": "MSK123" },
          "payment": { "method": "online" }
        }
        """;

    public static string Payment(string number, string status, string paymentId = "pay-1", string? via = null) => $$"""
        {
          "paymentId": "{{paymentId}}", "orderNumber": "{{number}}", "amount": { "amount": 2550.50, "currency": "RUB" },
          "status": "{{status}}", "paid": {{(status == "succeeded" ? "true" : "false")}},
          "confirmationUrl": "https://yoomoney.ru/checkout/payments/v2/contract?orderId={{paymentId}}"{{(via is null ? "" : $", \"via\": \"{via}\"")}}
        }
        """;

    public static string Shipment(string number, string state, string carrier = "cdek", string? reason = null) => $$"""
        {
          "orderNumber": "{{number}}", "carrier": "{{carrier}}", "state": "{{state}}", "carrierCode": "{{state.ToUpperInvariant()}}",
          "trackingNumber": "TRK{{number}}"{{(reason is null ? "" : $", \"carrierName\": \"{reason}\"")}}
        }
        """;

    public static string Cancellation(string number) => $$"""{ "number": "{{number}}", "reason": "покупатель передумал" }""";
}
