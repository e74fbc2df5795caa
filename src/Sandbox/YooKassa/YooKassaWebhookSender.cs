using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Router.Sandbox.YooKassa;

/// <summary>
/// Sends YooKassa's HTTP notifications to the configured URL: POST, JSON, anything but 200 sent again until the
/// retry window closes. Optionally each one twice, or batches newest first, because the real service does both.
/// </summary>
internal sealed class YooKassaWebhookSender
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private readonly object gate = new();
    private readonly List<YooKassaWebhookDelivery> deliveries = [];
    private readonly Channel<YooKassaWebhookDelivery> queue = Channel.CreateUnbounded<YooKassaWebhookDelivery>();
    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Func<YooKassaSettings> settings;
    private TimeProvider clock = TimeProvider.System;
    private CancellationTokenSource generation = new();
    private long sequence;

    public YooKassaWebhookSender(Func<YooKassaSettings> settings)
    {
        this.settings = settings;
    }

    public IReadOnlyList<YooKassaWebhookDelivery> Deliveries
    {
        get
        {
            lock (gate)
            {
                return deliveries.ToList();
            }
        }
    }

    public void Start(TimeProvider clock, CancellationToken stopping)
    {
        this.clock = clock;
        _ = Task.Run(() => LoopAsync(stopping), CancellationToken.None);
    }

    public void Enqueue(YooKassaEvent change)
    {
        var body = JsonSerializer.Serialize(
            new YooKassaNotification("notification", change.Event, new YooKassaNotificationObject(change.Object)), YooKassaWire.Options);
        var copies = settings().WebhookDuplicates ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            queue.Writer.TryWrite(new YooKassaWebhookDelivery { Event = change.Event, ObjectId = change.ObjectId, Body = body });
        }
    }

    /// <summary>Forgets sent notifications and abandons retries in progress.</summary>
    public void Reset()
    {
        CancellationTokenSource old;
        lock (gate)
        {
            deliveries.Clear();
            old = generation;
            generation = new CancellationTokenSource();
        }
        while (queue.Reader.TryRead(out _))
        {
        }
        old.Cancel();
        old.Dispose();
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stopping))
            {
                var batch = new List<YooKassaWebhookDelivery>();
                if (settings().WebhookOutOfOrder)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(settings().WebhookOutOfOrderHoldMs), clock, stopping);
                }
                while (queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                if (settings().WebhookOutOfOrder)
                {
                    batch.Reverse();
                }
                foreach (var item in batch)
                {
                    await SendAsync(item, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>The first attempt in line (so order holds when nothing fails); retries continue in the background.</summary>
    private async Task SendAsync(YooKassaWebhookDelivery item, CancellationToken stopping)
    {
        var current = settings();
        CancellationToken reset;
        lock (gate)
        {
            item = item with { Sequence = ++sequence, Url = current.WebhookUrl };
            deliveries.Add(item);
            reset = generation.Token;
        }
        if (current.WebhookUrl is not { } url)
        {
            return;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, reset);
        var started = clock.GetUtcNow();
        if (await AttemptAsync(item.Sequence, url, item.Body, linked.Token))
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            using var retryToken = CancellationTokenSource.CreateLinkedTokenSource(stopping, reset);
            try
            {
                while (clock.GetUtcNow() - started < TimeSpan.FromMilliseconds(current.WebhookRetryWindowMs))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(current.WebhookRetryIntervalMs), clock, retryToken.Token);
                    if (await AttemptAsync(item.Sequence, url, item.Body, retryToken.Token))
                    {
                        return;
                    }
                }
                Update(item.Sequence, d => d with { GaveUp = true });
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
    }

    private async Task<bool> AttemptAsync(long number, string url, string body, CancellationToken cancellationToken)
    {
        int? status = null;
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(AttemptTimeout);
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(url, content, attempt.Token);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // No answer: like any non-200, sent again.
        }
        Update(number, d => d with { Attempts = d.Attempts + 1, LastStatus = status, Delivered = status == 200 });
        return status == 200;
    }

    private void Update(long number, Func<YooKassaWebhookDelivery, YooKassaWebhookDelivery> change)
    {
        lock (gate)
        {
            var index = deliveries.FindIndex(d => d.Sequence == number);
            if (index >= 0)
            {
                deliveries[index] = change(deliveries[index]);
            }
        }
    }
}
