using System.Collections.Concurrent;
using System.Text;
using Rebus.Messages;
using Rebus.Transport;

namespace Router.Transport.RabbitMq.Tests.Support;

/// <summary>Small helpers for the RabbitMQ-specific tests (the contract fixtures have their own).</summary>
public static class TestMessages
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    public static string NewQueueName(string purpose) => $"rmq-test-{purpose}-{Guid.NewGuid():N}";

    public static TransportMessage New(string text, IDictionary<string, string>? extraHeaders = null)
    {
        var headers = new Dictionary<string, string> { [Headers.MessageId] = Guid.NewGuid().ToString() };
        foreach (var (key, value) in extraHeaders ?? new Dictionary<string, string>())
        {
            headers[key] = value;
        }
        return new TransportMessage(headers, Encoding.UTF8.GetBytes(text));
    }

    public static string TextOf(TransportMessage message) => Encoding.UTF8.GetString(message.Body);

    public static async Task SendAsync(ITransport transport, string destination, params TransportMessage[] messages)
    {
        using var scope = new RebusTransactionScope();
        foreach (var message in messages)
        {
            await transport.Send(destination, message, scope.TransactionContext);
        }
        await scope.CompleteAsync();
    }

    /// <summary>Receives and completes the next message, looking again until one comes or the timeout passes.</summary>
    public static async Task<TransportMessage?> ReceiveWithinAsync(ITransport transport, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            using var scope = new RebusTransactionScope();
            var message = await transport.Receive(scope.TransactionContext, CancellationToken.None);
            if (message is not null)
            {
                await scope.CompleteAsync();
                return message;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                return null;
            }
            await Task.Delay(20);
        }
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout) => EventuallyAsync(() => Task.FromResult(condition()), timeout);

    public static void Count(ConcurrentDictionary<string, int> counts, string key) => counts.AddOrUpdate(key, 1, (_, n) => n + 1);
}
