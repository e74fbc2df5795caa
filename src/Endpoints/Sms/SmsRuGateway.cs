using System.Globalization;
using System.Text.Json;
using Router.Core.Failures;
using Router.Endpoints.Notifications;

namespace Router.Endpoints.Sms;

/// <summary>
/// sms.ru: <c>POST /sms/send</c> with <c>api_id</c>, <c>to</c> (comma-separated), <c>msg</c> and <c>json=1</c>. The
/// top-level status describes the request (key, funds, sender); each number then has its own status, so one
/// number can be refused while the others go out.
/// </summary>
public sealed class SmsRuGateway : ISmsGateway
{
    public const string Name = "smsru";
    public static readonly Uri DefaultBaseUrl = new("https://sms.ru");

    private readonly string apiId;
    private readonly bool test;

    public SmsRuGateway(Uri baseUrl, string apiId, bool test)
    {
        SendUrl = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/sms/send");
        this.apiId = apiId;
        this.test = test;
    }

    public string Provider => Name;

    public Uri SendUrl { get; }

    public async Task<IReadOnlyList<SmsNumberResult>> SendAsync(HttpClient client, SmsRequest request, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("api_id", apiId),
            new("to", string.Join(',', request.Phones)),
            new("msg", request.Text),
            new("json", "1"),
        };
        if (request.Sender is { Length: > 0 } sender)
        {
            form.Add(new("from", sender));
        }
        if (test)
        {
            form.Add(new("test", "1"));
        }
        var (_, body) = await SmsHttp.PostFormAsync(client, SendUrl, form, [apiId], cancellationToken);
        SmsRuSendAnswer answer;
        try
        {
            answer = SmsRuSendAnswer.Parse(body);
        }
        catch (JsonException ex)
        {
            // It answered, so it may have acted; what it said cannot be read.
            throw new SendOutcomeUnknownException($"sms.ru answered something that is not its JSON: {SmsHttp.Scrub(body, [apiId])}", ex);
        }
        if (!answer.IsOk)
        {
            var message = $"sms.ru refused the request: {answer.StatusCode} {answer.StatusText}".TrimEnd();
            if (SmsRuCodes.IsTransient(answer.StatusCode))
            {
                throw new TransientFailureException(message);
            }
            throw new PermanentFailureException($"smsru-{answer.StatusCode}", message);
        }
        return request.Phones.Select(phone => answer.Numbers.TryGetValue(phone, out var number)
            ? number.ToResult(phone)
            : new SmsNumberResult(phone, SmsNumberOutcome.Unknown, null, "", "sms.ru's answer does not mention this number")).ToList();
    }
}

/// <summary>What sms.ru's codes mean for a sender.</summary>
public static class SmsRuCodes
{
    public const int Ok = 100;
    public const int BadApiId = 200;
    public const int NoFunds = 201;
    public const int NoRoute = 207;
    public const int Unavailable = 220;
    public const int ServerError = 500;

    /// <summary>220 (service temporarily unavailable) and 500 (server error): the documented "try again" codes.</summary>
    public static bool IsTransient(int code) => code is Unavailable or ServerError;
}

/// <summary>sms.ru's answer to <c>/sms/send?json=1</c>.</summary>
public sealed record SmsRuSendAnswer(string Status, int StatusCode, string? StatusText, IReadOnlyDictionary<string, SmsRuNumberAnswer> Numbers, decimal? Balance)
{
    public bool IsOk => Status == "OK" && StatusCode == SmsRuCodes.Ok;

    public static SmsRuSendAnswer Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status))
        {
            throw new JsonException("no 'status' in the answer");
        }
        var numbers = new Dictionary<string, SmsRuNumberAnswer>(StringComparer.Ordinal);
        if (root.TryGetProperty("sms", out var sms) && sms.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in sms.EnumerateObject())
            {
                numbers[entry.Name] = new SmsRuNumberAnswer(
                    Text(entry.Value, "status") ?? "",
                    Code(entry.Value),
                    Text(entry.Value, "sms_id"),
                    Text(entry.Value, "status_text"));
            }
        }
        decimal? balance = root.TryGetProperty("balance", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetDecimal() : null;
        return new SmsRuSendAnswer(status.GetString() ?? "", Code(root), Text(root, "status_text"), numbers, balance);
    }

    internal static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    // status_code is a number in the documented answers; tolerate it quoted.
    internal static int Code(JsonElement element) =>
        int.TryParse(Text(element, "status_code"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) ? code : 0;
}

public sealed record SmsRuNumberAnswer(string Status, int StatusCode, string? SmsId, string? StatusText)
{
    public SmsNumberResult ToResult(string phone)
    {
        var code = StatusCode.ToString(CultureInfo.InvariantCulture);
        if (Status == "OK" && StatusCode == SmsRuCodes.Ok && SmsId is { Length: > 0 })
        {
            return new SmsNumberResult(phone, SmsNumberOutcome.Accepted, SmsId, code, StatusText);
        }
        return new SmsNumberResult(phone, SmsRuCodes.IsTransient(StatusCode) ? SmsNumberOutcome.Retry : SmsNumberOutcome.Rejected, null, code, StatusText);
    }
}

/// <summary>sms.ru's answer to <c>/sms/status?json=1</c>: a status per sms_id.</summary>
public sealed record SmsRuStatusAnswer(string Status, int StatusCode, IReadOnlyDictionary<string, SmsRuNumberAnswer> Messages)
{
    /// <summary>103 delivered; 104–108 and 150 final failures.</summary>
    public static bool IsFinal(int code) => code is 103 or (>= 104 and <= 108) or 150;

    public static SmsRuStatusAnswer Parse(string json)
    {
        var send = SmsRuSendAnswer.Parse(json);
        return new SmsRuStatusAnswer(send.Status, send.StatusCode, send.Numbers);
    }
}
