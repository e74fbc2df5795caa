using Router.Endpoints.Http;

namespace Router.Endpoints.Tests.Http;

public sealed class HttpClientProviderTests
{
    [Test]
    public void Each_endpoint_gets_one_client_of_its_own_without_a_client_timeout()
    {
        using var provider = new HttpClientProvider();

        var platform = provider.Get("platform");

        Assert.That(provider.Get("platform"), Is.SameAs(platform));
        Assert.That(provider.Get("yookassa"), Is.Not.SameAs(platform));
        Assert.That(platform.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
    }

    [Test]
    public void A_disposed_provider_hands_out_no_clients()
    {
        var provider = new HttpClientProvider();
        provider.Get("platform");

        provider.Dispose();

        Assert.That(() => provider.Get("platform"), Throws.InstanceOf<ObjectDisposedException>());
    }
}
