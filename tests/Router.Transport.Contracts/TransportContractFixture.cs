using System.Collections.Concurrent;
using System.Text;
using Rebus.Messages;
using Rebus.Transport;

namespace Router.Transport.Contracts;

/// <summary>
/// Shared plumbing of the contract fixtures: a fresh factory and fresh queue names per test, and helpers that send
/// and receive in Rebus transaction scopes the way Rebus itself does. Waits are for conditions with generous
/// timeouts, never timing assertions: the machines are shared and noisy.
/// </summary>
public abstract class TransportContractFixture<TFactory> where TFactory : ITransportContractFactory, new()
{
    protected static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    protected TFactory Factory { get; private set; } = default!;

    [SetUp]
    public void CreateFactory() => Factory = new TFactory();

    [TearDown]
    public Task CleanUpFactory() => Factory.CleanUpAsync();

    /// <summary>A queue name no other test (or earlier run against a persistent broker) uses.</summary>
    protected static string NewQueueName(string purpose) => $"contract-{purpose}-{Guid.NewGuid():N}";

    protected static TransportMessage NewMessage(string text, IDictionary<string, string>? extraHeaders = null)
    {
        var headers = new Dictionary<string, string> { [Headers.MessageId] = Guid.NewGuid().ToString() };
        foreach (var (key, value) in extraHeaders ?? new Dictionary<string, string>())
        {
            headers[key] = value;
        }
        return new TransportMessage(headers, Encoding.UTF8.GetBytes(text));
    }

    protected static string TextOf(TransportMessage message) => Encoding.UTF8.GetString(message.Body);

    protected static async Task SendAsync(ITransport transport, string destination, params TransportMessage[] messages)
    {
        using var scope = new RebusTransactionScope();
        foreach (var message in messages)
        {
            await transport.Send(destination, message, scope.TransactionContext);
        }
        await scope.CompleteAsync();
    }

    /// <summary>One receive in its own transaction, completed when a message came.</summary>
    protected static async Task<TransportMessage?> ReceiveOnceAsync(ITransport transport)
    {
        using var scope = new RebusTransactionScope();
        var message = await transport.Receive(scope.TransactionContext, CancellationToken.None);
        if (message is not null)
        {
            await scope.CompleteAsync();
        }
        return message;
    }

    /// <summary>Receives and completes the next message, looking again until one comes or <paramref name="timeout"/> passes.</summary>
    protected static async Task<TransportMessage?> ReceiveWithinAsync(ITransport transport, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var message = await ReceiveOnceAsync(transport);
            if (message is not null || DateTimeOffset.UtcNow > deadline)
            {
                return message;
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for a condition to hold, looking every few milliseconds; false when it never did.</summary>
    protected static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }

    protected static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout);

    protected static void CountDelivery(ConcurrentDictionary<string, int> deliveries, string key) =>
        deliveries.AddOrUpdate(key, 1, (_, count) => count + 1);
}
