using System.Globalization;
using System.Text.Json;
using Router.Core.Failures;
using Router.Endpoints.Notifications;

namespace Router.Endpoints.Sms;

/// <summary>
/// SMSC.ru: <c>POST /sys/send.php</c> with <c>login</c>+<c>psw</c> or <c>apikey</c>, <c>phones</c>, <c>mes</c>,
/// <c>fmt=3</c> (JSON), <c>charset=utf-8</c> and <c>op=1</c> (a line per phone). A whole-request refusal is
/// <c>{"error":…,"error_code":N}</c>; with <c>op=1</c> a phone the gateway will not serve carries its own <c>error</c>.
/// </summary>
public sealed class SmscGateway : ISmsGateway
{
    public const string Name = "smsc";
    public static readonly Uri DefaultBaseUrl = new("https://smsc.ru");

    private readonly IReadOnlyList<KeyValuePair<string, string>> credentials;
    private readonly IReadOnlyList<string> secrets;

    public SmscGateway(Uri baseUrl, string? login, string? password, string? apiKey)
    {
        SendUrl = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/sys/send.php");
        credentials = apiKey is { Length: > 0 }
            ? [new("apikey", apiKey)]
            : [new("login", login ?? ""), new("psw", password ?? "")];
        secrets = new[] { password, apiKey }.Where(s => s is { Length: > 0 }).Select(s => s!).ToList();
    }

    public string Provider => Name;

    public Uri SendUrl { get; }

    public async Task<IReadOnlyList<SmsNumberResult>> SendAsync(HttpClient client, SmsRequest request, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>(credentials)
        {
            new("phones", string.Join(',', request.Phones)),
            new("mes", request.Text),
            new("fmt", "3"),
            new("charset", "utf-8"),
            new("op", "1"),
        };
        if (request.Sender is { Length: > 0 } sender)
        {
            form.Add(new("sender", sender));
        }
        var (_, body) = await SmsHttp.PostFormAsync(client, SendUrl, form, secrets, cancellationToken);
        SmscSendAnswer answer;
        try
        {
            answer = SmscSendAnswer.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new SendOutcomeUnknownException($"SMSC answered something that is not its JSON: {SmsHttp.Scrub(body, secrets)}", ex);
        }
        if (answer.ErrorCode is { } error)
        {
            var message = $"SMSC refused the request: error {error} {answer.Error}".TrimEnd();
            if (SmscCodes.IsTransient(error))
            {
                throw new TransientFailureException(message, retryAfter: SmscCodes.BackOff);
            }
            throw new PermanentFailureException($"smsc-{error}", message);
        }
        var id = answer.Id?.ToString(CultureInfo.InvariantCulture);
        return request.Phones.Select(phone =>
        {
            var line = answer.Phones.FirstOrDefault(p => p.Phone == phone);
            if (line is null)
            {
                // Without op=1 lines (an older account setting), an answer with an id means every phone was taken.
                return answer.Phones.Count == 0 && id is not null
                    ? new SmsNumberResult(phone, SmsNumberOutcome.Accepted, id, "0", null)
                    : new SmsNumberResult(phone, SmsNumberOutcome.Unknown, null, "", "SMSC's answer does not mention this number");
            }
            return line.Error is { } code and not 0
                ? new SmsNumberResult(phone, SmsNumberOutcome.Rejected, null, code.ToString(CultureInfo.InvariantCulture), SmscCodes.DescribePhoneError(code))
                : new SmsNumberResult(phone, SmsNumberOutcome.Accepted, id, "0", null);
        }).ToList();
    }
}

public static class SmscCodes
{
    /// <summary>Error 9: too many (or duplicate) requests; error 4: the IP is blocked for a while after errors. Both wait it out.</summary>
    public static bool IsTransient(int errorCode) => errorCode is 4 or 9;

    /// <summary>SMSC asks for a pause of about a minute after error 9.</summary>
    public static readonly TimeSpan BackOff = TimeSpan.FromMinutes(1);

    public static string DescribePhoneError(int code) => code switch
    {
        1 => "no such number",
        6 => "the message is forbidden for this number",
        7 => "invalid phone number",
        8 => "cannot be delivered to this number",
        _ => $"refused (error {code})",
    };
}

/// <summary>SMSC's answer to <c>send.php?fmt=3&amp;op=1</c>.</summary>
public sealed record SmscSendAnswer(long? Id, int? Count, int? ErrorCode, string? Error, IReadOnlyList<SmscPhoneAnswer> Phones)
{
    public static SmscSendAnswer Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("the answer is not a JSON object");
        }
        var phones = new List<SmscPhoneAnswer>();
        if (root.TryGetProperty("phones", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                phones.Add(new SmscPhoneAnswer(SmsRuSendAnswer.Text(item, "phone") ?? "", Number(item, "error") is { } e ? (int)e : null,
                    SmsRuSendAnswer.Text(item, "cost")));
            }
        }
        var errorCode = Number(root, "error_code");
        var id = Number(root, "id");
        if (errorCode is null && id is null)
        {
            throw new JsonException("neither 'id' nor 'error_code' in the answer");
        }
        return new SmscSendAnswer(id, Number(root, "cnt") is { } c ? (int)c : null, errorCode is { } code ? (int)code : null,
            SmsRuSendAnswer.Text(root, "error"), phones);
    }

    // SMSC writes numbers both bare and quoted.
    private static long? Number(JsonElement element, string name) =>
        long.TryParse(SmsRuSendAnswer.Text(element, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}

public sealed record SmscPhoneAnswer(string Phone, int? Error, string? Cost);
