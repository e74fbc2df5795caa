using Router.Transport.RabbitMq.Connections;
using Router.Transport.RabbitMq.Tests.Support;

namespace Router.Transport.RabbitMq.Tests.Connections;

/// <summary>The broker's password never appears in what the transport shows or throws.</summary>
[TestFixture]
public sealed class ConnectionStringTests
{
    [TestCase("amqp://router:s3cret@rabbit:5672/orders", "amqp://router:***@rabbit:5672/orders")]
    [TestCase("amqps://router:p%40ss@rabbit/", "amqps://router:***@rabbit/")]
    [TestCase("amqp://rabbit:5672/", "amqp://rabbit:5672/")]
    public void The_password_is_masked(string connectionString, string shown) =>
        Assert.That(AmqpConnectionString.Parse(connectionString).ToString(), Is.EqualTo(shown));

    [Test]
    public void A_connection_string_that_is_not_an_amqp_uri_is_refused_without_repeating_it()
    {
        var failure = Assert.Throws<FormatException>(() => AmqpConnectionString.Parse("host=rabbit;password=s3cret"));

        Assert.That(failure!.Message, Does.Not.Contain("s3cret"));
    }

    [Test]
    public async Task A_refused_login_names_the_broker_but_not_the_password()
    {
        var factory = new QuorumQueueFactory();
        try
        {
            var wrong = new UriBuilder(factory.Url) { Password = "not-the-password-42" }.Uri.ToString();
            using var transport = new RabbitMqTransport(wrong, null);

            var failure = Assert.Throws<RabbitMqUnavailableException>(transport.Initialize);

            Assert.That(failure!.Message, Does.Contain("***@127.0.0.1"));
            Assert.That(failure.Message, Does.Not.Contain("not-the-password-42"));
        }
        finally
        {
            await factory.CleanUpAsync();
        }
    }
}
