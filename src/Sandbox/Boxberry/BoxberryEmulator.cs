using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Sandbox.Control;
using Router.Sandbox.RequestLog;

namespace Router.Sandbox.Boxberry;

/// <summary>The error shapes json.php answers with (always HTTP 200), for forcing through the control API.</summary>
public enum BoxberryErrorVariant
{
    /// <summary><c>{"err":"text"}</c></summary>
    ErrText,

    /// <summary><c>{"err":true,"message":"text"}</c></summary>
    ErrFlag,

    /// <summary><c>{"error":true,"message":"text"}</c></summary>
    ErrorFlag,

    /// <summary><c>[{"err":"text"}]</c></summary>
    InList,

    /// <summary>An empty body.</summary>
    Empty,

    /// <summary>An HTML error page.</summary>
    Html,
}

/// <param name="Method">Only calls of this json.php method (e.g. ParselCreate); null for any.</param>
public sealed record BoxberryForcedError(BoxberryErrorVariant Variant, int Count = 1, string? Message = null, string? Method = null);

public sealed class BoxberryParcel
{
    public required string OrderId { get; init; }
    public required string Track { get; init; }
    public required JsonObject Sdata { get; init; }
    public List<(DateTimeOffset At, string Name, string Comment)> Statuses { get; } = [];
    public string? CancelType { get; set; }
    public string CurrentName => Statuses[^1].Name;
}

/// <summary>
/// Boxberry's json.php: one URL dispatching on <c>method</c>, answering HTTP 200 to everything, errors included, in
/// the shapes seen from the real service. Tracks are deterministic (AAP… to a pickup point, DUD… by courier); a
/// second ParselCreate with a used order_id is refused with «уже занято»; statuses move on through the control API
/// (<c>/_sandbox/boxberry/parcels/{orderId}/advance</c>), in Moscow time, in both of Boxberry's date formats.
/// </summary>
public sealed class BoxberryEmulator : ISandboxEmulator
{
    public const string EmulatorName = "boxberry";
    public const string DefaultToken = "sandbox-boxberry-token-0001";
    private const string Json = "application/json; charset=utf-8";
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    public static readonly string[] Timeline =
    [
        "Загружен реестр ИМ", "Принято к доставке", "Передано на сортировку", "Отправлено в город назначения",
        "Передан на доставку до пункта выдачи", "Поступило в пункт выдачи", "Выдано",
    ];

    private readonly object gate = new();
    private readonly List<BoxberryParcel> parcels = [];
    private readonly ConcurrentQueue<BoxberryForcedError> forced = new();
    private long nextTrack = 127020243;
    private SandboxState? state;

    public string Name => EmulatorName;

    public string? IdempotencyHeader => null;

    public IReadOnlyList<BoxberryParcel> Parcels
    {
        get
        {
            lock (gate)
            {
                return parcels.ToList();
            }
        }
    }

    public void Map(IEndpointRouteBuilder routes, SandboxState sandbox)
    {
        state = sandbox;
        routes.MapMethods("/" + EmulatorName + "/json.php", [HttpMethods.Get, HttpMethods.Post], Handle);

        var control = routes.MapGroup(ControlApi.Prefix + "/" + EmulatorName);
        control.MapPost("/errors", (BoxberryForcedError error) =>
        {
            forced.Enqueue(error);
            return Results.Json(forced.ToList(), SandboxJson.Options);
        });
        control.MapGet("/parcels", () => Results.Json(Parcels.Select(Summary).ToList(), SandboxJson.Options));
        control.MapPost("/parcels/{orderId}/advance", (string orderId) =>
            Advance(orderId) is { } parcel ? Results.Json(Summary(parcel), SandboxJson.Options) : Results.NotFound());
    }

    public void Reset()
    {
        lock (gate)
        {
            parcels.Clear();
            nextTrack = 127020243;
        }
        forced.Clear();
    }

    /// <summary>Forces the next matching answers into one of Boxberry's error shapes.</summary>
    public void Force(BoxberryForcedError error) => forced.Enqueue(error);

    /// <summary>Moves a parcel to the next status of its timeline; null when unknown or already at the end.</summary>
    public BoxberryParcel? Advance(string orderId)
    {
        lock (gate)
        {
            var parcel = parcels.FirstOrDefault(p => p.OrderId == orderId || p.Track == orderId);
            if (parcel is null || parcel.CancelType is not null)
            {
                return null;
            }
            var index = Array.IndexOf(Timeline, parcel.CurrentName);
            if (index < 0 || index + 1 >= Timeline.Length)
            {
                return null;
            }
            parcel.Statuses.Add((Now, Timeline[index + 1], ""));
            return parcel;
        }
    }

    private DateTimeOffset Now => (state?.Clock ?? TimeProvider.System).GetUtcNow().ToOffset(Moscow);

    private IResult Handle(HttpContext context)
    {
        var input = Parameters(context);
        var method = input.GetValueOrDefault("method") ?? "";
        if (TakeForced(method) is { } error)
        {
            return Forced(error);
        }
        if (input.GetValueOrDefault("token") != DefaultToken)
        {
            return Answer(new JsonObject { ["err"] = "Ключ интеграции не найден или не активен" });
        }
        return method switch
        {
            "ListPoints" => ListPoints(input),
            "ListCities" => Answer(new JsonArray(new JsonObject { ["Code"] = "68", ["Name"] = "Москва", ["Region"] = "Москва", ["CountryCode"] = "643", ["Prefix"] = "г" })),
            "DeliveryCosts" => DeliveryCosts(input),
            "ParselCreate" => ParselCreate(context, input),
            "ParselCheck" => ParselCheck(input),
            "ListStatuses" => ListStatuses(input),
            "ListStatusesFull" => ListStatusesFull(input),
            "CancelOrder" => CancelOrder(input),
            _ => Answer(new JsonObject { ["err"] = $"Метод {method} не найден" }),
        };
    }

    private static IResult ListPoints(Dictionary<string, string> input)
    {
        var city = input.GetValueOrDefault("CityCode");
        var all = new[]
        {
            Point("99451", "Москва Булатниковская_9945_С", "68", "Москва", "117403, Москва г, Булатниковская ул, д.2А", "55.580676,37.651708"),
            Point("77011", "Москва Тверская_7701", "68", "Москва", "125009, Москва г, Тверская ул, д.7", "55.757814,37.611548"),
            Point("19733", "Нижний Новгород Дружбы_1973", "47", "Нижний Новгород", "603000, Нижний Новгород г, Дружбы ул, д.5", "56.296504,43.936059"),
        };
        return Answer(new JsonArray(all.Where(p => city is null || p["CityCode"]!.ToString() == city).Select(p => (JsonNode?)p).ToArray()));
    }

    private static JsonObject Point(string code, string name, string cityCode, string cityName, string address, string gps) => new()
    {
        ["Code"] = code, ["Name"] = name, ["CityCode"] = cityCode, ["Address"] = address, ["Phone"] = "+7(499)391-56-22",
        ["WorkShedule"] = "пн-вс: 10.00-20.30", ["DeliveryPeriod"] = 1, ["CityName"] = cityName, ["TariffZone"] = "1М",
        ["Country"] = "РОССИЯ", ["GPS"] = gps, ["Acquiring"] = "Yes", ["TypeOfOffice"] = "СПВЗ", ["LoadLimit"] = 31, ["VolumeLimit"] = "0.19",
        ["CountryCode"] = "643", ["NalKD"] = "No", ["OnlyPrepaidOrders"] = "No", ["Postamat"] = false,
    };

    private static IResult DeliveryCosts(Dictionary<string, string> input)
    {
        if (!int.TryParse(input.GetValueOrDefault("weight"), NumberStyles.None, CultureInfo.InvariantCulture, out var grams) || grams <= 0)
        {
            return Answer(new JsonObject { ["err"] = "Не указан вес посылки" });
        }
        if (string.IsNullOrEmpty(input.GetValueOrDefault("target")) && string.IsNullOrEmpty(input.GetValueOrDefault("zip")))
        {
            return Answer(new JsonObject { ["err"] = "Не указан пункт выдачи или индекс" });
        }
        var courier = !string.IsNullOrEmpty(input.GetValueOrDefault("zip")) && string.IsNullOrEmpty(input.GetValueOrDefault("target"));
        var priceBase = 150 + 60 * (int)Math.Ceiling(grams / 1000.0);
        var priceService = courier ? 250 : 0;
        return Answer(new JsonObject
        {
            ["price"] = priceBase + priceService,
            ["price_base"] = priceBase,
            ["price_service"] = priceService,
            ["delivery_period"] = courier ? "3" : "2",
        });
    }

    private IResult ParselCreate(HttpContext context, Dictionary<string, string> input)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return Answer(new JsonObject { ["err"] = "Метод ParselCreate принимает только POST" });
        }
        JsonObject? sdata;
        try
        {
            sdata = JsonNode.Parse(input.GetValueOrDefault("sdata") ?? "") as JsonObject;
        }
        catch (JsonException)
        {
            sdata = null;
        }
        if (sdata is null)
        {
            return Answer(new JsonObject { ["error"] = true, ["message"] = "Параметр sdata не является корректным JSON" });
        }
        var orderId = sdata["order_id"]?.ToString();
        if (string.IsNullOrWhiteSpace(orderId))
        {
            return Answer(new JsonObject { ["err"] = "Не указан номер заказа (order_id)" });
        }
        var vid = sdata["vid"]?.ToString();
        if (vid == "1" && string.IsNullOrWhiteSpace(sdata["shop"]?["name"]?.ToString()))
        {
            return Answer(new JsonObject { ["err"] = "Не указан код пункта выдачи (shop.name)" });
        }
        if (vid == "2" && string.IsNullOrWhiteSpace(sdata["kurdost"]?["addressp"]?.ToString()))
        {
            return Answer(new JsonObject { ["err"] = "Не указан адрес курьерской доставки (kurdost.addressp)" });
        }
        if (vid is not ("1" or "2"))
        {
            return Answer(new JsonObject { ["err"] = "Неизвестный вид доставки (vid)" });
        }
        if (sdata["weights"] is not JsonObject weights || !WholeNumbers(weights))
        {
            return Answer(new JsonObject { ["err"] = true, ["message"] = "Длина, Ширина, Высота и Вес каждого места в заказе должны быть целыми числами" });
        }
        lock (gate)
        {
            if (parcels.Any(p => p.OrderId == orderId))
            {
                return Answer(new JsonObject { ["err"] = $"Ошибка: значение «{orderId}» поля order_id уже занято" });
            }
            var number = nextTrack++;
            var parcel = new BoxberryParcel
            {
                OrderId = orderId,
                Track = (vid == "1" ? "AAP" : "DUD") + number.ToString(CultureInfo.InvariantCulture),
                Sdata = sdata,
            };
            parcel.Statuses.Add((Now, Timeline[0], ""));
            parcels.Add(parcel);
            return Answer(new JsonObject
            {
                ["track"] = parcel.Track,
                ["label"] = $"https://api.boxberry.ru/parcel-files/barcodes?parcel_id={number}&token=sandbox",
            });
        }
    }

    private static bool WholeNumbers(JsonObject weights) =>
        weights.Where(p => p.Key.StartsWith("weight", StringComparison.Ordinal) || p.Key[0] is 'x' or 'y' or 'z')
            .All(p => p.Value?.ToString() is not { Length: > 0 } text || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _));

    private IResult ParselCheck(Dictionary<string, string> input) =>
        Find(input.GetValueOrDefault("ImId")) is { } parcel
            ? Answer(new JsonObject { ["label"] = $"https://api.boxberry.ru/parcel-files/barcodes?parcel_id={parcel.Track[3..]}&token=sandbox" })
            : Answer(new JsonObject { ["err"] = "Посылка не найдена" });

    private IResult ListStatuses(Dictionary<string, string> input)
    {
        if (Find(input.GetValueOrDefault("ImId")) is not { } parcel)
        {
            return Answer(new JsonArray(new JsonObject { ["err"] = "Посылка не найдена" }));
        }
        lock (gate)
        {
            return Answer(new JsonArray(parcel.Statuses.Select(s => (JsonNode?)new JsonObject
            {
                ["Date"] = s.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ["Name"] = s.Name,
            }).ToArray()));
        }
    }

    private IResult ListStatusesFull(Dictionary<string, string> input)
    {
        if (Find(input.GetValueOrDefault("ImId")) is not { } parcel)
        {
            return Answer(new JsonObject { ["err"] = "Посылка не найдена" });
        }
        lock (gate)
        {
            return Answer(new JsonObject
            {
                ["PD"] = false,
                ["sum"] = decimal.TryParse(parcel.Sdata["price"]?.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var sum) ? sum : 0m,
                ["deliveryDate"] = "0001-01-01",
                ["Weight"] = (int.TryParse(parcel.Sdata["weights"]?["weight"]?.ToString(), CultureInfo.InvariantCulture, out var grams) ? grams : 0) / 1000.0,
                ["PaymentMethod"] = "Касса",
                ["statuses"] = new JsonArray(parcel.Statuses.Select(s => (JsonNode?)new JsonObject
                {
                    ["Date"] = s.At.ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture),
                    ["Name"] = s.Name,
                    ["Comment"] = s.Comment,
                }).ToArray()),
            });
        }
    }

    private IResult CancelOrder(Dictionary<string, string> input)
    {
        var parcel = Find(input.GetValueOrDefault("track")) ?? Find(input.GetValueOrDefault("orderid"));
        if (parcel is null)
        {
            return Answer(new JsonObject { ["err"] = "Посылка не найдена" });
        }
        var cancelType = input.GetValueOrDefault("cancelType") ?? "2";
        lock (gate)
        {
            if (parcel.CancelType is not null)
            {
                return Answer(new JsonObject { ["err"] = "Посылка уже отменена" });
            }
            if (cancelType == "1" && parcel.CurrentName != Timeline[0])
            {
                return Answer(new JsonObject { ["err"] = "Посылка уже передана в доставку, удаление невозможно. Используйте отзыв (cancelType=2)" });
            }
            if (parcel.CurrentName == "Выдано")
            {
                return Answer(new JsonObject { ["err"] = "Посылка выдана, отзыв невозможен" });
            }
            parcel.CancelType = cancelType;
            parcel.Statuses.Add((Now, cancelType == "1" ? "Удален" : "Отозван", ""));
        }
        return Answer(new JsonObject { ["err"] = false });
    }

    private BoxberryParcel? Find(string? imId)
    {
        if (string.IsNullOrWhiteSpace(imId))
        {
            return null;
        }
        lock (gate)
        {
            return parcels.FirstOrDefault(p => p.Track == imId) ?? parcels.FirstOrDefault(p => p.OrderId == imId);
        }
    }

    private BoxberryForcedError? TakeForced(string method)
    {
        lock (gate)
        {
            if (!forced.TryPeek(out var next) || (next.Method is not null && next.Method != method))
            {
                return null;
            }
            forced.TryDequeue(out _);
            if (next.Count > 1)
            {
                // Keep the rest at the head of the queue.
                var rest = forced.ToList();
                forced.Clear();
                forced.Enqueue(next with { Count = next.Count - 1 });
                foreach (var other in rest)
                {
                    forced.Enqueue(other);
                }
            }
            return next;
        }
    }

    private static IResult Forced(BoxberryForcedError error)
    {
        var message = error.Message ?? "Сервис временно недоступен, попробуйте позже";
        return error.Variant switch
        {
            BoxberryErrorVariant.ErrText => Answer(new JsonObject { ["err"] = message }),
            BoxberryErrorVariant.ErrFlag => Answer(new JsonObject { ["err"] = true, ["message"] = message }),
            BoxberryErrorVariant.ErrorFlag => Answer(new JsonObject { ["error"] = true, ["message"] = message }),
            BoxberryErrorVariant.InList => Answer(new JsonArray(new JsonObject { ["err"] = message })),
            BoxberryErrorVariant.Empty => Results.Content("", Json, Encoding.UTF8, StatusCodes.Status200OK),
            _ => Results.Content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status200OK),
        };
    }

    /// <summary>Always 200: json.php reports its errors in the body.</summary>
    private static IResult Answer(JsonNode body) => Results.Content(body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), Json, Encoding.UTF8, StatusCodes.Status200OK);

    private static object Summary(BoxberryParcel parcel) => new { parcel.OrderId, parcel.Track, Status = parcel.CurrentName, parcel.CancelType };

    private static Dictionary<string, string> Parameters(HttpContext context)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            values[key] = value.ToString();
        }
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var text = Encoding.UTF8.GetString(context.SandboxRequest().Body);
            foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                values[Uri.UnescapeDataString(parts[0].Replace('+', ' '))] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
            }
        }
        return values;
    }
}
