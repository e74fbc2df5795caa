namespace Router.Transport.Sqlite.Messages;

/// <summary>The table stores times as unix milliseconds: compact, indexable and free of time-zone questions.</summary>
internal static class UnixTime
{
    public static long NowMs(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Rounds up so a message deferred to a point in time never becomes visible before it.</summary>
    public static long CeilingMs(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks / TimeSpan.TicksPerMillisecond + (ticks % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);
    }

    public static DateTimeOffset ToDateTimeOffset(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}
