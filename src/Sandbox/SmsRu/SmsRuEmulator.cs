using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Sandbox.SmsShared;

namespace Router.Sandbox.SmsRu;

/// <summary>
/// sms.ru as documented (https://sms.ru/api/send, /api/status): <c>/smsru/sms/send</c> and <c>/smsru/sms/status</c>,
/// GET or POST, answered with HTTP 200 whatever happens; the code is in the body. <c>json=1</c> gives the JSON
/// answer with a result per number, without it the line format (<c>100</c>, then an sms_id or a code per number,
/// then <c>balance=…</c>). Request errors: 200 bad api_id, 201 not enough money, 202 no valid number, 203 no
/// text, 205 longer than 8 parts, 220 while <see cref="Unavailable"/>. Per number: 202 malformed, 207 blocked
/// (<see cref="BlockedNumbers"/>). <c>test=1</c> answers as a send would but sends and charges nothing.
/// </summary>
public sealed class SmsRuEmulator : ISandboxEmulator
{
    public const string EmulatorName = "smsru";
    public const string DefaultApiId = "sandbox-smsru-api-id";

    /// <summary>A number the emulator refuses with 207 unless told otherwise.</summary>
    public const string DefaultBlockedNumber = "79990000207";

    public const decimal PricePerPart = 1.50m;
    public const decimal InitialBalance = 1000m;

    private readonly ConcurrentDictionary<string, SmsRuMessage> messages = new(StringComparer.Ordinal);
    private long nextId;
    private decimal balance = InitialBalance;
    private readonly Lock balanceLock = new();

    public SmsRuEmulator(string apiId = DefaultApiId)
    {
        ApiId = apiId;
    }

    public string Name => EmulatorName;

    public string? IdempotencyHeader => null;

    public string ApiId { get; }

    /// <summary>Numbers answered with 207 ("no route to this number").</summary>
    public ConcurrentDictionary<string, bool> BlockedNumbers { get; } = new(new Dictionary<string, bool> { [DefaultBlockedNumber] = true });

    /// <summary>While set, every send and status answers 220 (service temporarily unavailable).</summary>
    public bool Unavailable { get; set; }

    public decimal Balance
    {
        get { lock (balanceLock) { return balance; } }
        set { lock (balanceLock) { balance = value; } }
    }

    /// <summary>Every SMS accepted (not test ones), in order.</summary>
    public IReadOnlyList<SmsRuMessage> Messages => messages.Values.OrderBy(m => m.Sequence).ToList();

    public void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        var group = routes.MapGroup("/" + EmulatorName);
        group.MapMethods("/sms/send", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) => Send(new SmsRequestParameters(context), state));
        group.MapMethods("/sms/status", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) => Status(new SmsRequestParameters(context)));
    }

    public void Reset()
    {
        messages.Clear();
        BlockedNumbers.Clear();
        BlockedNumbers[DefaultBlockedNumber] = true;
        Unavailable = false;
        Balance = InitialBalance;
    }

    private IResult Send(SmsRequestParameters parameters, SandboxState state)
    {
        var json = parameters["json"] == "1";
        if (RequestError(parameters) is { } error)
        {
            return Answer(json, error.Code, error.Text, [], null);
        }
        var text = parameters["msg"];
        var perNumber = new List<(string Key, string? Phone, int Code, string? Text)>();
        foreach (var raw in parameters.List("to"))
        {
            var phone = SmsParts.Normalize(raw);
            if (phone is null)
            {
                perNumber.Add((raw, null, 202, "Неправильно указан номер телефона получателя, либо на него нет маршрута"));
            }
            else if (BlockedNumbers.ContainsKey(phone))
            {
                perNumber.Add((phone, phone, 207, "На этот номер (или один из номеров) нельзя отправлять сообщения, либо указано более 100 номеров в списке получателей"));
            }
            else
            {
                perNumber.Add((phone, phone, 100, null));
            }
        }
        if (perNumber.Count == 0)
        {
            return Answer(json, 202, "Неправильно указан номер телефона получателя, либо на него нет маршрута", [], null);
        }
        if (text is null)
        {
            return Answer(json, 203, "Нет текста сообщения", [], null);
        }
        var parts = SmsParts.Count(text);
        if (parts > 8)
        {
            return Answer(json, 205, "Сообщение слишком длинное (превышает 8 СМС)", [], null);
        }
        var test = parameters["test"] == "1";
        var accepted = perNumber.Count(n => n.Code == 100);
        var cost = accepted * parts * PricePerPart;
        lock (balanceLock)
        {
            if (cost > balance)
            {
                return Answer(json, 201, "Не хватает средств на лицевом счету", [], balance);
            }
            if (!test)
            {
                balance -= cost;
            }
        }
        var results = new List<NumberResult>();
        foreach (var number in perNumber)
        {
            if (number.Code != 100)
            {
                results.Add(new NumberResult(number.Key, number.Code, null, number.Text));
                continue;
            }
            var sequence = Interlocked.Increment(ref nextId);
            var smsId = $"{sequence / 100000000:D6}-{sequence % 100000000:D8}";
            if (!test)
            {
                messages[smsId] = new SmsRuMessage(sequence, smsId, number.Phone!, text, parameters["from"], parts, state.Clock.GetUtcNow());
            }
            results.Add(new NumberResult(number.Key, 100, smsId, null));
        }
        return Answer(json, 100, null, results, Balance);
    }

    private string? Known(string? apiId) => apiId == ApiId ? apiId : null;

    private (int Code, string Text)? RequestError(SmsRequestParameters parameters)
    {
        if (Unavailable)
        {
            return (220, "Сервис временно недоступен, попробуйте чуть позже");
        }
        if (Known(parameters["api_id"]) is null)
        {
            return (200, "Неправильный api_id");
        }
        return null;
    }

    private IResult Status(SmsRequestParameters parameters)
    {
        var json = parameters["json"] == "1";
        if (RequestError(parameters) is { } error)
        {
            return Answer(json, error.Code, error.Text, [], null);
        }
        var results = parameters.List("sms_id").Select(id => messages.TryGetValue(id, out var message)
            // Delivered at once: the sandbox has no operators to wait for.
            ? new NumberResult(id, 103, null, "Сообщение доставлено", message.Parts * PricePerPart)
            : new NumberResult(id, -1, null, "Сообщение не найдено")).ToList();
        return Answer(json, 100, null, results, Balance);
    }

    private static IResult Answer(bool json, int code, string? text, IReadOnlyList<NumberResult> numbers, decimal? balance)
    {
        if (json)
        {
            var body = new Dictionary<string, object?>
            {
                ["status"] = code == 100 ? "OK" : "ERROR",
                ["status_code"] = code,
            };
            if (text is not null)
            {
                body["status_text"] = text;
            }
            if (numbers.Count > 0)
            {
                body["sms"] = numbers.ToDictionary(n => n.Key, n => (object)n.ToJson());
            }
            if (balance is { } b)
            {
                body["balance"] = b;
            }
            return Results.Json(body, SandboxJson.Options);
        }
        var lines = new StringBuilder().Append(code.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var number in numbers)
        {
            lines.Append(number.SmsId ?? number.Code.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        if (balance is { } left && code == 100)
        {
            lines.Append("balance=").Append(left.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return Results.Text(lines.ToString().TrimEnd('\n'), "text/plain; charset=utf-8");
    }

    private sealed record NumberResult(string Key, int Code, string? SmsId, string? Text, decimal? Cost = null)
    {
        public Dictionary<string, object?> ToJson()
        {
            var item = new Dictionary<string, object?>
            {
                ["status"] = Code is 100 or 103 ? "OK" : "ERROR",
                ["status_code"] = Code,
            };
            if (SmsId is not null)
            {
                item["sms_id"] = SmsId;
            }
            if (Cost is { } cost)
            {
                item["cost"] = cost;
            }
            if (Text is not null)
            {
                item["status_text"] = Text;
            }
            return item;
        }
    }
}

/// <summary>An SMS the emulator accepted.</summary>
public sealed record SmsRuMessage(long Sequence, string SmsId, string Phone, string Text, string? From, int Parts, DateTimeOffset At);
