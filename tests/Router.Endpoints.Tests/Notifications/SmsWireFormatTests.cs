using System.Text.Json;
using Router.Endpoints.Sms;
using Router.Sandbox.Hosting;
using Router.Sandbox.Smsc;
using Router.Sandbox.SmsRu;

namespace Router.Endpoints.Tests.Notifications;

/// <summary>The documented sms.ru samples parsed by the client, and the emulators' answers in each documented format.</summary>
public sealed class SmsWireFormatTests
{
    private static readonly string Samples = FindSamples();

    private RunningSandbox sandbox = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        sandbox = await SandboxHost.StartAsync(new SandboxOptions { Emulators = [new SmsRuEmulator(), new SmscEmulator()] }, CancellationToken.None);
        http = new HttpClient { BaseAddress = sandbox.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        http.Dispose();
        await sandbox.DisposeAsync();
    }

    [Test]
    public void The_documented_send_answer_gives_one_accepted_and_one_refused_number()
    {
        var answer = SmsRuSendAnswer.Parse(File.ReadAllText(Path.Combine(Samples, "smsru_send_response_json1.json")));

        Assert.That(answer.IsOk);
        Assert.That(answer.Balance, Is.EqualTo(4122.56m));
        Assert.That(answer.Numbers["79255070602"].ToResult("79255070602"),
            Is.EqualTo(new SmsNumberResult("79255070602", SmsNumberOutcome.Accepted, "000000-10000000", "100", null)));
        var refused = answer.Numbers["74993221627"].ToResult("74993221627");
        Assert.That(refused.Outcome, Is.EqualTo(SmsNumberOutcome.Rejected));
        Assert.That(refused.Code, Is.EqualTo("207"));
        Assert.That(refused.Text, Does.StartWith("На этот номер"));
    }

    [Test]
    public void The_documented_status_answer_gives_a_final_state_per_sms_id()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Samples, "smsru_status_response_json1.json")));

        var answer = SmsRuStatusAnswer.Parse(sample.RootElement.GetProperty("response").GetRawText());

        Assert.That(answer.StatusCode, Is.EqualTo(100));
        Assert.That(answer.Messages.ToDictionary(m => m.Key, m => m.Value.StatusCode),
            Is.EqualTo(new Dictionary<string, int> { ["000000-000001"] = 103, ["000000-000002"] = 104, ["000000-000003"] = -1 }));
        Assert.That(SmsRuStatusAnswer.IsFinal(103) && SmsRuStatusAnswer.IsFinal(104) && !SmsRuStatusAnswer.IsFinal(-1));
    }

    [Test]
    public async Task The_sms_ru_emulator_answers_in_lines_without_json_1()
    {
        var body = await PostAsync("/smsru/sms/send", ("api_id", SmsRuEmulator.DefaultApiId), ("to", $"79161234567,{SmsRuEmulator.DefaultBlockedNumber}"), ("msg", "Привет"));

        var lines = body.Split('\n');
        Assert.That(lines[0], Is.EqualTo("100"));
        Assert.That(lines[1], Does.Match(@"^\d{6}-\d{8}$"));
        Assert.That(lines[2], Is.EqualTo("207"));
        Assert.That(lines[3], Does.StartWith("balance="));
    }

    [Test]
    public async Task The_sms_ru_emulator_answers_a_wrong_key_with_200_inside_an_http_200()
    {
        using var response = await http.PostAsync("/smsru/sms/send", Form(("api_id", "nope"), ("to", "79161234567"), ("msg", "x"), ("json", "1")));

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var answer = SmsRuSendAnswer.Parse(await response.Content.ReadAsStringAsync());
        Assert.That((answer.Status, answer.StatusCode, answer.StatusText), Is.EqualTo(("ERROR", 200, "Неправильный api_id")));
    }

    [Test]
    public async Task The_sms_ru_emulator_reports_the_status_of_what_it_sent()
    {
        var sent = SmsRuSendAnswer.Parse(await PostAsync("/smsru/sms/send", ("api_id", SmsRuEmulator.DefaultApiId), ("to", "79161234567"), ("msg", "Привет"), ("json", "1")));
        var smsId = sent.Numbers["79161234567"].SmsId!;

        var status = SmsRuStatusAnswer.Parse(await PostAsync("/smsru/sms/status", ("api_id", SmsRuEmulator.DefaultApiId), ("sms_id", smsId + ",000000-99999999"), ("json", "1")));

        Assert.That(status.Messages[smsId].StatusCode, Is.EqualTo(103));
        Assert.That(status.Messages["000000-99999999"].StatusCode, Is.EqualTo(-1));
    }

    [Test]
    public async Task The_smsc_emulator_answers_json_with_fmt_3_and_a_text_line_without_it()
    {
        var json = SmscSendAnswer.Parse(await PostAsync("/smsc/sys/send.php", ("login", SmscEmulator.DefaultLogin), ("psw", SmscEmulator.DefaultPassword),
            ("phones", "79161234567"), ("mes", "Первое"), ("fmt", "3")));
        var text = await PostAsync("/smsc/sys/send.php", ("login", SmscEmulator.DefaultLogin), ("psw", SmscEmulator.DefaultPassword),
            ("phones", "79161234567"), ("mes", "Второе"));
        var error = await PostAsync("/smsc/sys/send.php", ("login", SmscEmulator.DefaultLogin), ("psw", "wrong"), ("phones", "79161234567"), ("mes", "x"));

        Assert.That(json.Id, Is.Not.Null);
        Assert.That(json.Count, Is.EqualTo(1));
        Assert.That(text, Does.Match(@"^OK - 1 SMS, ID - \d+$"));
        Assert.That(error, Is.EqualTo("ERROR = 2 (authorise error)"));
    }

    [Test]
    public async Task The_smsc_emulator_lists_each_phone_with_op_1()
    {
        var answer = SmscSendAnswer.Parse(await PostAsync("/smsc/sys/send.php", ("apikey", SmscEmulator.DefaultApiKey),
            ("phones", $"79161234567;{SmscEmulator.DefaultUndeliverableNumber}"), ("mes", "Тест"), ("fmt", "3"), ("op", "1")));

        Assert.That(answer.Phones.Select(p => (p.Phone, p.Error)),
            Is.EqualTo(new[] { ("79161234567", (int?)null), (SmscEmulator.DefaultUndeliverableNumber, 8) }));
    }

    private async Task<string> PostAsync(string path, params (string Key, string Value)[] fields)
    {
        using var response = await http.PostAsync(path, Form(fields));
        return await response.Content.ReadAsStringAsync();
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static string FindSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "fixtures", "api-samples");
            if (File.Exists(Path.Combine(dir.FullName, "Router.sln")) && Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        const string fallback = "/work/shared/fixtures/api-samples";
        return Directory.Exists(fallback) ? fallback : throw new DirectoryNotFoundException("shared/fixtures/api-samples not found");
    }
}
