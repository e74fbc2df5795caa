using Router.Endpoints.Http;

namespace Router.Endpoints.Tests.Http;

public sealed class UrlForDisplayTests
{
    [TestCase("https://user:pw@api.example.ru/v1/orders", "https://api.example.ru/v1/orders")]
    [TestCase("https://api.example.ru:8443/v1/orders?shop=7&api_key=abc&Signature=x", "https://api.example.ru:8443/v1/orders?shop=7&api_key=***&Signature=***")]
    [TestCase("http://127.0.0.1:5090/platform/orders", "http://127.0.0.1:5090/platform/orders")]
    public void Credentials_are_removed(string url, string shown)
    {
        Assert.That(UrlForDisplay.Of(new Uri(url)), Is.EqualTo(shown));
    }

    [Test]
    public void A_url_from_a_secret_shows_only_where_it_points()
    {
        Assert.That(UrlForDisplay.Of(new Uri("https://api.telegram.org/bot123:SECRET/sendMessage"), wholeUrlIsSecret: true), Is.EqualTo("https://api.telegram.org/***"));
    }
}
