namespace Router.Sandbox.Cdek;

/// <summary>How the emulated CDEK behaves; changed through <c>PUT /_sandbox/cdek/settings</c>.</summary>
public sealed record CdekSandboxSettings
{
    /// <summary>How long an accepted request stays ACCEPTED before it turns SUCCESSFUL or INVALID.</summary>
    public int ProcessingDelayMs { get; init; } = 200;

    /// <summary>The expires_in of issued tokens (CDEK: 3599).</summary>
    public int TokenLifetimeSeconds { get; init; } = 3599;

    /// <summary>Where ORDER_STATUS webhooks go (also set by <c>POST /cdek/v2/webhooks</c>); null sends none.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>When set, every registered order moves one step along its status timeline this often.</summary>
    public int? AutoProgressMs { get; init; }

    /// <summary>
    /// The next this many creates register the order and then drop the connection without an answer: the documented
    /// risk (a timeout on POST may still create the order) that a client's look-up by im_number must cover.
    /// </summary>
    public int LoseCreateAnswers { get; init; }
}

/// <summary>A status set through the control API.</summary>
/// <param name="Webhook">Whether the status change is announced by webhook (false: only polling can find it).</param>
public sealed record CdekStatusChange(string Code, string? City = null, bool Webhook = true);

/// <summary>One webhook the emulator tried to send: once, never retried, like CDEK.</summary>
public sealed record CdekWebhookDelivery(string Url, string Uuid, string Code, int? Status, string? Error, DateTimeOffset At);
