using Router.Transformers.ConfigValues;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.ConfigValues;

public class ConfigNodeJsonTests
{
    private static string Json(string yaml) => TestMessages.Json(ConfigNodeJson.ToElement(Yaml.Parse(yaml)));

    [TestCase("v: 123", """{"v":123}""")]
    [TestCase("v: -7", """{"v":-7}""")]
    [TestCase("v: +5", """{"v":5}""")]
    [TestCase("v: 007", """{"v":7}""")]
    [TestCase("v: 12345678901234567890123", """{"v":12345678901234567890123}""")]
    [TestCase("v: 0x1F", """{"v":31}""")]
    [TestCase("v: 0o17", """{"v":15}""")]
    [TestCase("v: 1.50", """{"v":1.50}""")]
    [TestCase("v: 1234.56", """{"v":1234.56}""")]
    [TestCase("v: .5", """{"v":0.5}""")]
    [TestCase("v: 1e3", """{"v":1000}""")]
    [TestCase("v: true", """{"v":true}""")]
    [TestCase("v: False", """{"v":false}""")]
    [TestCase("v: ~", """{"v":null}""")]
    [TestCase("v: null", """{"v":null}""")]
    [TestCase("v:", """{"v":null}""")]
    public void Plain_scalars_are_typed_by_the_yaml_core_schema(string yaml, string json)
    {
        Assert.That(Json(yaml), Is.EqualTo(json));
    }

    [TestCase("v: \"123\"", """{"v":"123"}""")]
    [TestCase("v: '1.50'", """{"v":"1.50"}""")]
    [TestCase("v: \"true\"", """{"v":"true"}""")]
    [TestCase("v: \"null\"", """{"v":"null"}""")]
    [TestCase("v: ''", """{"v":""}""")]
    [TestCase("v: yes", """{"v":"yes"}""")]
    [TestCase("v: no", """{"v":"no"}""")]
    [TestCase("v: .inf", """{"v":".inf"}""")]
    [TestCase("v: 1.2.3", """{"v":"1.2.3"}""")]
    [TestCase("v: RUB", """{"v":"RUB"}""")]
    public void Quoted_scalars_and_words_are_text(string yaml, string json)
    {
        Assert.That(Json(yaml), Is.EqualTo(json));
    }

    [Test]
    public void Mappings_and_lists_keep_their_order_and_cyrillic_text()
    {
        Assert.That(Json("""
            Товар: { Наименование: "Чайник «Уют»", Цены: [1990.00, 2100] }
            a: [ { b: 1 }, [] , {} ]
            """),
            Is.EqualTo("""{"Товар":{"Наименование":"Чайник «Уют»","Цены":[1990.00,2100]},"a":[{"b":1},[],{}]}"""));
    }
}
