using Router.Core.Messages;
using Router.Transformers.Map;

namespace Router.Transformers.Tests.Map;

public class ValueConverterTests
{
    private static Conversion Named(string name) => ConversionNames.Parse(name)!.Value;

    private static string Convert(string conversion, string json) => Convert(Named(conversion), json);

    private static string Fails(string conversion, string json) => Fails(Named(conversion), json);

    private static string Convert(Conversion conversion, string json) =>
        ValueConverter.Apply(conversion, RouterJson.ParseElement(json)).ToJsonString(RouterJson.Options);

    private static string Fails(Conversion conversion, string json) =>
        Assert.Throws<ConversionException>(() => ValueConverter.Apply(conversion, RouterJson.ParseElement(json)))!.Message;

    [TestCase("5", "5")]
    [TestCase("\"5\"", "5")]
    [TestCase("\" 1 234 \"", "1234")]
    [TestCase("\"12,0\"", "12")]
    [TestCase("12.0", "12")]
    [TestCase("\"-3\"", "-3")]
    public void Int_accepts_whole_numbers_written_as_numbers_or_text(string input, string expected)
    {
        Assert.That(Convert(Conversion.Int, input), Is.EqualTo(expected));
    }

    [TestCase("12.5", "not a whole number")]
    [TestCase("\"два\"", "not a number")]
    [TestCase("true", "not a number")]
    [TestCase("1e20", "too large for an integer")]
    public void Int_rejects_everything_else(string input, string reason)
    {
        Assert.That(Fails(Conversion.Int, input), Does.EndWith(reason));
    }

    [TestCase("1234.56", "1234.56")]
    [TestCase("1234.50", "1234.50")]
    [TestCase("0.1", "0.1")]
    [TestCase("\"1 234,56\"", "1234.56")]
    [TestCase("\"1\u00A0234,5\"", "1234.5")]
    [TestCase("\"1234.56\"", "1234.56")]
    [TestCase("\"-0,30\"", "-0.30")]
    [TestCase("\"1e3\"", "1000")]
    public void Decimal_is_exact_and_reads_russian_number_text(string input, string expected)
    {
        Assert.That(Convert(Conversion.Decimal, input), Is.EqualTo(expected));
    }

    [TestCase("\"1,234.5\"", "unclear")]
    [TestCase("\"\"", "not a number")]
    [TestCase("{}", "an object is not a number")]
    public void Decimal_rejects_ambiguous_or_non_numbers(string input, string reason)
    {
        Assert.That(Fails(Conversion.Decimal, input), Does.Contain(reason));
    }

    [TestCase("true", true)]
    [TestCase("\"да\"", true)]
    [TestCase("\"Истина\"", true)]
    [TestCase("\"YES\"", true)]
    [TestCase("1", true)]
    [TestCase("\" нет \"", false)]
    [TestCase("\"ЛОЖЬ\"", false)]
    [TestCase("\"0\"", false)]
    [TestCase("0", false)]
    [TestCase("false", false)]
    public void Bool_reads_1c_and_english_yes_no(string input, bool expected)
    {
        Assert.That(Convert(Conversion.Bool, input), Is.EqualTo(expected ? "true" : "false"));
    }

    [TestCase("\"может быть\"")]
    [TestCase("2")]
    public void Bool_rejects_other_values(string input)
    {
        Assert.That(Fails(Conversion.Bool, input), Does.StartWith("not a yes/no value"));
    }

    [TestCase("2024-01-31", "2024-01-31")]
    [TestCase("2024-01-31T23:30:00+03:00", "2024-01-31")]
    [TestCase("2024-01-31T23:30:00Z", "2024-01-31")]
    [TestCase("2024-01-31 10:00:00", "2024-01-31")]
    [TestCase("31.01.2024", "2024-01-31")]
    [TestCase("31.01.2024 0:00:00", "2024-01-31")]
    [TestCase("1.2.2024", "2024-02-01")]
    public void Date_keeps_the_calendar_day_as_written(string input, string expected)
    {
        Assert.That(Convert(Conversion.Date, $"\"{input}\""), Is.EqualTo($"\"{expected}\""));
    }

    [TestCase("2024-01-31T10:00:00+03:00", "2024-01-31T10:00:00+03:00")]
    [TestCase("2024-01-31T10:00:00-05:30", "2024-01-31T10:00:00-05:30")]
    [TestCase("2024-01-31T10:00:00Z", "2024-01-31T10:00:00Z")]
    [TestCase("2024-01-31T10:00:00+00:00", "2024-01-31T10:00:00Z")]
    [TestCase("2024-01-31T10:00:00.1230000Z", "2024-01-31T10:00:00.123Z")]
    [TestCase("2024-01-31T10:00", "2024-01-31T10:00:00")]
    [TestCase("2024-01-31", "2024-01-31T00:00:00")]
    [TestCase("31.01.2024 9:05:07", "2024-01-31T09:05:07")]
    public void DateTime_writes_iso_8601_and_assumes_no_zone(string input, string expected)
    {
        Assert.That(Convert(Conversion.DateTime, $"\"{input}\""), Is.EqualTo($"\"{expected}\""));
    }

    [TestCase("date", "\"31/01/2024\"")]
    [TestCase("date", "\"2024-02-30\"")]
    [TestCase("datetime", "1706695200")]
    public void Dates_reject_what_they_cannot_read_for_certain(string conversion, string input)
    {
        Assert.That(Fails(conversion, input), Does.Contain("date"));
    }

    [TestCase("upper", "\"Иван петров\"", "\"ИВАН ПЕТРОВ\"")]
    [TestCase("lower", "\"Ivan@Example.RU\"", "\"ivan@example.ru\"")]
    [TestCase("lower", "\"ЁЛКА\"", "\"ёлка\"")]
    [TestCase("trim", "\"\u00A0 Чайник \\t\"", "\"Чайник\"")]
    [TestCase("string", "1234.50", "\"1234.50\"")]
    [TestCase("string", "true", "\"true\"")]
    [TestCase("string", "\"as is\"", "\"as is\"")]
    public void Text_conversions(string conversion, string input, string expected)
    {
        Assert.That(Convert(conversion, input), Is.EqualTo(expected));
    }

    [TestCase("string", "[1]")]
    [TestCase("upper", "{}")]
    public void Text_conversions_reject_objects_and_lists(string conversion, string input)
    {
        Assert.That(Fails(conversion, input), Does.EndWith("is not text"));
    }

    [TestCase("\"+7 (916) 123-45-67\"")]
    [TestCase("\"8 916 123 45 67\"")]
    [TestCase("\"89161234567\"")]
    [TestCase("\"9161234567\"")]
    [TestCase("\"7-916-123-45-67\"")]
    [TestCase("\" +7.916.123.45.67 \"")]
    [TestCase("79161234567")]
    public void Phone_normalises_russian_numbers(string input)
    {
        Assert.That(Convert(Conversion.Phone, input), Is.EqualTo("\"+79161234567\""));
    }

    [TestCase("\"+1 202 555 0123\"")]
    [TestCase("\"+8 916 123 45 67\"")]
    [TestCase("\"8 916 123 45 67 доб. 12\"")]
    [TestCase("\"123-45-67\"")]
    [TestCase("\"0161234567\"")]
    [TestCase("\"+7 916 123 45 6\"")]
    [TestCase("\"\"")]
    public void Phone_rejects_what_is_not_a_russian_number(string input)
    {
        Assert.That(Fails(Conversion.Phone, input), Does.StartWith("not a Russian phone number"));
    }

    [Test]
    public void The_machine_culture_does_not_change_results()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("ru-RU");

            Assert.That(Convert(Conversion.Decimal, "\"1234.56\""), Is.EqualTo("1234.56"));
            Assert.That(Convert(Conversion.DateTime, "\"31.01.2024 9:05:07\""), Is.EqualTo("\"2024-01-31T09:05:07\""));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Test]
    public void Every_conversion_has_a_distinct_yaml_name()
    {
        Assert.That(ConversionNames.All, Is.Unique);
        Assert.That(ConversionNames.All.Select(ConversionNames.Parse), Is.EqualTo(Enum.GetValues<Conversion>().Cast<Conversion?>()));
        Assert.That(ConversionNames.Parse("Int"), Is.Null, "names are lower case");
    }
}
