using System.Text.Json;
using Router.Core.Conflicts;
using Router.Core.Messages;

namespace Router.Core.Tests.Conflicts;

public sealed class FieldValuesTests
{
    private static JsonElement? Json(string json) => RouterJson.ParseElement(json);

    [TestCase("email", "\"Ivan@Example.RU \"", "\"ivan@example.ru\"")]
    [TestCase("phone", "\"8 (916) 123-45-67\"", "\"+7 916 123 45 67\"")]
    [TestCase("phone", "\"9161234567\"", "\"+79161234567\"")]
    [TestCase("inn", "\"7707 083 893\"", "7707083893")]
    [TestCase("kpp", "\" 773601001\"", "\"773601001\"")]
    [TestCase("companyName", "\"ООО  «Ромашка» \"", "\"ООО «Ромашка»\"")]
    [TestCase("address", """{ "city": "Москва", "street": "Тверская" }""", """{"street":"Тверская","city":"Москва"}""")]
    public void Writing_differences_are_not_changes(string field, string a, string b)
    {
        Assert.That(FieldValues.Same(field, Json(a), Json(b)), Is.True);
    }

    [TestCase("email", "\"ivan@example.ru\"", "\"ivan@example.com\"")]
    [TestCase("phone", "\"+79161234567\"", "\"+79161234568\"")]
    [TestCase("inn", "\"7707083893\"", "\"7707083894\"")]
    [TestCase("companyName", "\"ООО Ромашка\"", "\"ооо ромашка\"")]
    [TestCase("address", """{ "city": "Москва" }""", """{ "city": "Тверь" }""")]
    public void Real_differences_are_changes(string field, string a, string b)
    {
        Assert.That(FieldValues.Same(field, Json(a), Json(b)), Is.False);
    }

    [TestCase("null")]
    [TestCase("\"\"")]
    [TestCase("\"   \"")]
    public void Null_blank_and_missing_are_all_no_value(string json)
    {
        Assert.That(FieldValues.Same("email", Json(json), null), Is.True);
        Assert.That(FieldValues.Same("email", Json(json), Json("\"a@b.ru\"")), Is.False);
    }

    [Test]
    public void A_phone_that_is_not_russian_compares_by_its_digits()
    {
        Assert.That(FieldValues.Same("phone", Json("\"+49 30 1234567\""), Json("\"+49-30-123-4567\"")), Is.True);
        Assert.That(FieldValues.Same("phone", Json("\"+49 30 1234567\""), Json("\"+49 30 1234568\"")), Is.False);
    }

    [Test]
    public void Writing_back_keeps_the_payload_untouched_when_nothing_differs()
    {
        var payload = RouterJson.ParseElement("""{ "id": "42", "email": "a@b.ru", "extra": [1, 2] }""");

        var same = TrackedValues.Write(payload, new Dictionary<string, JsonElement?> { ["email"] = Json("\"a@b.ru\"") });
        var changed = TrackedValues.Write(payload, new Dictionary<string, JsonElement?> { ["email"] = Json("\"c@d.ru\""), ["phone"] = null });

        Assert.That(same.GetRawText(), Is.EqualTo(payload.GetRawText()));
        Assert.That(changed.GetProperty("email").GetString(), Is.EqualTo("c@d.ru"));
        Assert.That(changed.GetProperty("extra").GetArrayLength(), Is.EqualTo(2), "untracked fields travel as they were");
        Assert.That(changed.TryGetProperty("phone", out _), Is.False);
    }
}
