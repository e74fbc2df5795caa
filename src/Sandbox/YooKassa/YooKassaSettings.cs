namespace Router.Sandbox.YooKassa;

/// <summary>
/// How the emulated YooKassa behaves beyond the API itself, set with <c>PUT /_sandbox/yookassa/settings</c>: where
/// it sends notifications and how (retries, duplicates, reordering), whether payers pay by themselves, and the
/// "not finished yet" 202 answers.
/// </summary>
public sealed record YooKassaSettings
{
    /// <summary>The router's webhook, e.g. http://127.0.0.1:5080/webhooks/yookassa; null sends nothing (notifications are still listed).</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>How long a notification answered with anything but 200 is sent again (YooKassa: 24 hours).</summary>
    public int WebhookRetryWindowMs { get; init; } = 24 * 60 * 60 * 1000;

    public int WebhookRetryIntervalMs { get; init; } = 1000;

    /// <summary>Send every notification twice, as YooKassa may.</summary>
    public bool WebhookDuplicates { get; init; }

    /// <summary>Hold notifications briefly and send each batch newest first, as YooKassa may deliver out of order.</summary>
    public bool WebhookOutOfOrder { get; init; }

    /// <summary>How long notifications are held to be reordered when <see cref="WebhookOutOfOrder"/> is on.</summary>
    public int WebhookOutOfOrderHoldMs { get; init; } = 300;

    /// <summary>When set, every new payment is paid (or refused) by its "payer" this many milliseconds after it is created.</summary>
    public int? AutoPayAfterMs { get; init; }

    /// <summary><c>succeeded</c> (the payer pays) or <c>canceled</c> (the bank refuses).</summary>
    public string AutoPayOutcome { get; init; } = "succeeded";

    /// <summary>The next this many POSTs with a new Idempotence-Key answer 202 with retry_after instead of acting.</summary>
    public int AcceptedResponses { get; init; }

    public int AcceptedRetryAfterMs { get; init; } = 200;

    public string? Problem() => this switch
    {
        { WebhookUrl: { } url } when !Uri.TryCreate(url, UriKind.Absolute, out _) => "webhookUrl must be an absolute URL",
        { WebhookOutOfOrderHoldMs: < 0 } => "webhookOutOfOrderHoldMs must not be negative",
        { WebhookRetryWindowMs: < 0 } or { WebhookRetryIntervalMs: < 1 } => "webhookRetryWindowMs must be >= 0 and webhookRetryIntervalMs >= 1",
        { AutoPayAfterMs: < 0 } => "autoPayAfterMs must not be negative",
        { AutoPayOutcome: not ("succeeded" or "canceled") } => "autoPayOutcome must be succeeded or canceled",
        { AcceptedResponses: < 0 } or { AcceptedRetryAfterMs: < 0 } => "acceptedResponses and acceptedRetryAfterMs must not be negative",
        _ => null,
    };
}

/// <summary>One notification the emulator sent (or is still sending) to the router.</summary>
public sealed record YooKassaWebhookDelivery
{
    public long Sequence { get; init; }
    public required string Event { get; init; }
    public required string ObjectId { get; init; }
    public string? Url { get; init; }
    public int Attempts { get; init; }

    /// <summary>The router's last answer; null when it gave none (connection refused, timeout) or nothing was sent yet.</summary>
    public int? LastStatus { get; init; }

    public bool Delivered { get; init; }

    /// <summary>True once the retry window closed without a 200.</summary>
    public bool GaveUp { get; init; }

    public required string Body { get; init; }
}
