using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;

namespace Router.Transformers.Orders;

/// <summary>
/// The options of <c>payment-request</c> and <c>shipment-request</c>, read the same way wherever they are written:
/// on a route's step, or on an <c>order-saga</c> endpoint that builds the same commands.
/// </summary>
public static class OrderCommandOptions
{
    public static readonly PropertySchema[] PaymentProperties =
    [
        new("returnUrl", new StringSchema { Description = "where the buyer returns after paying; {number} becomes the order number (the order's own payment.returnUrl wins)" }),
        new("vatCode", new IntegerSchema { Minimum = 1, Maximum = 12, Default = 1, Description = "YooKassa vat_code for lines without a VAT rate and for delivery (1: без НДС)" }),
        new("capture", new BooleanSchema { Default = true, Description = "false for a two-stage payment (waiting_for_capture until captured or cancelled)" }),
        new("receipt", new BooleanSchema { Default = true, Description = "send 54-ФЗ receipt lines with the payment" }),
    ];

    public static readonly PropertySchema[] ShipmentProperties =
    [
        new("tariffs", new MapSchema(new StringSchema()) { Description = "carrier (cdek, boxberry) → tariff when the order names none" }),
        new("itemWeightGrams", new IntegerSchema { Minimum = 1, Default = 500, Description = "weight of one unit of an order line (orders carry no weights)" }),
        new("package", new ObjectSchema(
            new PropertySchema("lengthCm", new IntegerSchema { Minimum = 1, Default = 30 }),
            new PropertySchema("widthCm", new IntegerSchema { Minimum = 1, Default = 20 }),
            new PropertySchema("heightCm", new IntegerSchema { Minimum = 1, Default = 15 }))
        { Description = "the parcel's size" }),
    ];

    public static PaymentRequestOptions ReadPayment(ConfigMapping? options) => options is null ? new PaymentRequestOptions() : new PaymentRequestOptions
    {
        ReturnUrl = options.GetString("returnUrl"),
        VatCode = options.GetInt("vatCode", 1),
        Capture = options.GetBool("capture", true),
        Receipt = options.GetBool("receipt", true),
    };

    public static ShipmentRequestOptions ReadShipment(ConfigMapping? options, IReadOnlyDictionary<string, string>? carriers = null)
    {
        if (options is null)
        {
            return new ShipmentRequestOptions { Carriers = carriers ?? new Dictionary<string, string>(StringComparer.Ordinal) };
        }
        var package = options.GetMapping("package");
        return new ShipmentRequestOptions
        {
            Carriers = carriers ?? ToDictionary(options.GetStringMap("carriers")),
            Tariffs = ToDictionary(options.GetStringMap("tariffs")),
            ItemWeightGrams = options.GetInt("itemWeightGrams", 500),
            LengthCm = package?.GetInt("lengthCm", 30) ?? 30,
            WidthCm = package?.GetInt("widthCm", 20) ?? 20,
            HeightCm = package?.GetInt("heightCm", 15) ?? 15,
        };
    }

    /// <summary>Options of a step: a mapping, or nothing (<c>- payment-request</c> with no options).</summary>
    public static ConfigMapping? MappingOf(ConfigNode? options, string transformer) => options switch
    {
        null => null,
        ConfigMapping map => map,
        ConfigScalar { IsNull: true } => null,
        _ => throw new ConfigException(options.Mark, $"{transformer} options must be a mapping, not {options.ShapeName}"),
    };

    private static IReadOnlyDictionary<string, string> ToDictionary(IReadOnlyList<KeyValuePair<string, string>> entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
