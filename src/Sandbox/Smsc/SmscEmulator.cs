using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Sandbox.SmsShared;

namespace Router.Sandbox.Smsc;

/// <summary>
/// SMSC.ru's HTTP API (https://smsc.ru/api/http/) at <c>/smsc/sys/send.php</c> and <c>/smsc/sys/status.php</c>:
/// <c>login</c>+<c>psw</c> or <c>apikey</c>, answered with HTTP 200 whatever happens. <c>fmt=3</c> gives JSON
/// (<c>{"id","cnt"}</c> or <c>{"error","error_code"}</c>), the default a text line (<c>OK - 1 SMS, ID - 7</c> or
/// <c>ERROR = 2 (authorise error)</c>). Errors: 1 missing parameters, 2 bad credentials, 3 not enough money,
/// 6 forbidden text (<see cref="ForbiddenWord"/>), 7 no valid number, 8 no number can be delivered to
/// (<see cref="UndeliverableNumbers"/>), 9 the same send twice within a minute. With <c>op=1</c> the answer lists
/// every phone, a refused one with its own <c>error</c>.
/// </summary>
public sealed class SmscEmulator : ISandboxEmulator
{
    public const string EmulatorName = "smsc";
    public const string DefaultLogin = "router";
    public const string DefaultPassword = "sandbox-smsc";
    public const string DefaultApiKey = "sandbox-smsc-api-key";

    /// <summary>A number SMSC cannot deliver to (error 8) unless told otherwise.</summary>
    public const string DefaultUndeliverableNumber = "79990000008";

    /// <summary>A text containing this is refused with error 6.</summary>
    public const string ForbiddenWord = "ЗАПРЕЩЕНО";

    public const decimal PricePerPart = 1.80m;
    public const decimal InitialBalance = 1000m;

    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, SmscMessage> messages = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> recentSends = new(StringComparer.Ordinal);
    private readonly Lock balanceLock = new();
    private long nextId;
    private decimal balance = InitialBalance;

    public string Name => EmulatorName;

    public string? IdempotencyHeader => null;

    public ConcurrentDictionary<string, bool> UndeliverableNumbers { get; } = new(new Dictionary<string, bool> { [DefaultUndeliverableNumber] = true });

    public decimal Balance
    {
        get { lock (balanceLock) { return balance; } }
        set { lock (balanceLock) { balance = value; } }
    }

    public IReadOnlyList<SmscMessage> Messages => messages.Values.OrderBy(m => m.Id).ThenBy(m => m.Phone, StringComparer.Ordinal).ToList();

    public void Map(IEndpointRouteBuilder routes, SandboxState state)
    {
        var group = routes.MapGroup("/" + EmulatorName + "/sys");
        group.MapMethods("/send.php", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) => Send(new SmsRequestParameters(context), state));
        group.MapMethods("/status.php", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) => Status(new SmsRequestParameters(context), state));
    }

    public void Reset()
    {
        messages.Clear();
        recentSends.Clear();
        UndeliverableNumbers.Clear();
        UndeliverableNumbers[DefaultUndeliverableNumber] = true;
        Balance = InitialBalance;
    }

    private static bool Authorized(SmsRequestParameters p) =>
        p["apikey"] == DefaultApiKey || (p["login"] == DefaultLogin && p["psw"] == DefaultPassword);

    private IResult Send(SmsRequestParameters p, SandboxState state)
    {
        var json = p["fmt"] == "3";
        var phones = p.List("phones");
        var text = p["mes"];
        if (phones.Count == 0 || text is null || (p["apikey"] is null && p["login"] is null))
        {
            return Error(json, 1, "parameters error");
        }
        if (!Authorized(p))
        {
            return Error(json, 2, "authorise error");
        }
        if (text.Contains(ForbiddenWord, StringComparison.OrdinalIgnoreCase))
        {
            return Error(json, 6, "message is denied");
        }
        var now = state.Clock.GetUtcNow();
        // SMSC refuses a second identical send request within a minute.
        var fingerprint = string.Join(',', phones) + "\n" + text + "\n" + p["sender"];
        if (recentSends.TryGetValue(fingerprint, out var last) && now - last < DuplicateWindow)
        {
            return Error(json, 9, "duplicate request, wait a minute");
        }
        var lines = phones.Select(raw =>
        {
            var phone = SmsParts.Normalize(raw);
            return phone is null ? new PhoneLine(raw, 7) : UndeliverableNumbers.ContainsKey(phone) ? new PhoneLine(phone, 8) : new PhoneLine(phone, null);
        }).ToList();
        var deliverable = lines.Where(l => l.Error is null).ToList();
        if (deliverable.Count == 0)
        {
            return lines.All(l => l.Error == 7) ? Error(json, 7, "invalid number") : Error(json, 8, "can't deliver to this number");
        }
        var parts = SmsParts.Count(text);
        var cost = deliverable.Count * parts * PricePerPart;
        decimal left;
        lock (balanceLock)
        {
            if (cost > balance)
            {
                return Error(json, 3, "no money");
            }
            balance -= cost;
            left = balance;
        }
        recentSends[fingerprint] = now;
        var id = Interlocked.Increment(ref nextId);
        foreach (var line in deliverable)
        {
            messages[id * 1000 + deliverable.IndexOf(line)] = new SmscMessage(id, line.Phone, text, p["sender"], parts, now);
        }
        var count = deliverable.Count * parts;
        if (!json)
        {
            return Results.Text(p["fmt"] == "1"
                ? $"{id},{count}"
                : $"OK - {count} SMS, ID - {id}", "text/plain; charset=utf-8");
        }
        var answer = new Dictionary<string, object?> { ["id"] = id, ["cnt"] = count };
        if (p["op"] == "1")
        {
            answer["cost"] = Money(cost);
            answer["balance"] = Money(left);
            answer["phones"] = lines.Select(l => l.Error is { } error
                ? new Dictionary<string, object?> { ["phone"] = l.Phone, ["mccmnc"] = "0", ["cost"] = "0", ["error"] = error.ToString(CultureInfo.InvariantCulture) }
                : new Dictionary<string, object?> { ["phone"] = l.Phone, ["mccmnc"] = "25001", ["cost"] = Money(parts * PricePerPart) }).ToList();
        }
        return Results.Json(answer, SandboxJson.Options);
    }

    private IResult Status(SmsRequestParameters p, SandboxState state)
    {
        var json = p["fmt"] == "3";
        if (p["id"] is not { } idText || p["phone"] is not { } phoneText || (p["apikey"] is null && p["login"] is null))
        {
            return Error(json, 1, "parameters error");
        }
        if (!Authorized(p))
        {
            return Error(json, 2, "authorise error");
        }
        var phone = SmsParts.Normalize(phoneText);
        var found = long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? messages.Values.FirstOrDefault(m => m.Id == id && m.Phone == phone)
            : null;
        // -3: not found; 1: delivered (the sandbox has no operator to wait for).
        var status = found is null ? -3 : 1;
        if (!json)
        {
            return Results.Text($"Status = {status}", "text/plain; charset=utf-8");
        }
        var answer = new Dictionary<string, object?> { ["status"] = status };
        if (found is not null)
        {
            answer["last_timestamp"] = found.At.ToUnixTimeSeconds();
            answer["last_date"] = found.At.ToString("dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture);
        }
        return Results.Json(answer, SandboxJson.Options);
    }

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static IResult Error(bool json, int code, string text) => json
        ? Results.Json(new Dictionary<string, object?> { ["error"] = text, ["error_code"] = code }, SandboxJson.Options)
        : Results.Text($"ERROR = {code} ({text})", "text/plain; charset=utf-8");

    private sealed record PhoneLine(string Phone, int? Error);
}

/// <summary>An SMS the emulator accepted for one phone.</summary>
public sealed record SmscMessage(long Id, string Phone, string Text, string? Sender, int Parts, DateTimeOffset At);
