using Router.Core.Messages;

namespace Router.Transformers.Tests.Messages;

public class PayloadHashTests
{
    private const string Order = """{"number":"1001","customer":{"name":"Иван","phone":"+79161234567"},"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}],"total":1234.56}""";

    private static string Hash(string json) => PayloadHash.Compute(RouterJson.ParseElement(json));

    [TestCase("""
        {
          "total": 1234.56,
          "lines": [ { "qty": 2, "sku": "A" }, { "qty": 1, "sku": "B" } ],
          "customer": { "phone": "+79161234567", "name": "Иван" },
          "number": "1001"
        }
        """)]
    [TestCase("""{"number":"1001","customer":{"name":"\u0418\u0432\u0430\u043d","phone":"+79161234567"},"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}],"total":1234.56}""")]
    public void The_same_data_written_differently_has_the_same_hash(string sameData)
    {
        Assert.That(Hash(sameData), Is.EqualTo(Hash(Order)));
    }

    [TestCase("""{"number":"1002","customer":{"name":"Иван","phone":"+79161234567"},"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}],"total":1234.56}""")]
    [TestCase("""{"number":"1001","customer":{"name":"Иван","phone":"+79161234567"},"lines":[{"sku":"B","qty":1},{"sku":"A","qty":2}],"total":1234.56}""")]
    [TestCase("""{"number":"1001","customer":{"name":"Иван","phone":"+79161234567"},"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}],"total":1234.57}""")]
    [TestCase("""{"number":1001,"customer":{"name":"Иван","phone":"+79161234567"},"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}],"total":1234.56}""")]
    [TestCase("""{"number":"1001","customer":{"name":"Иван","phone":"+79161234567"},"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}],"total":1234.56,"comment":null}""")]
    [TestCase("""{"number":"1001","customer":{"Name":"Иван","phone":"+79161234567"},"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}],"total":1234.56}""")]
    public void Different_data_has_a_different_hash(string otherData)
    {
        Assert.That(Hash(otherData), Is.Not.EqualTo(Hash(Order)));
    }

    [Test]
    public void The_hash_names_its_algorithm()
    {
        Assert.That(Hash(Order), Does.Match("^sha256:[0-9a-f]{64}$"));
        Assert.That(PayloadHash.ComputeForText("abc"), Is.EqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
}
