namespace Router.Endpoints.Tests.Support;

internal sealed class FixedClock : TimeProvider
{
    private readonly DateTimeOffset now;

    public FixedClock(DateTimeOffset now)
    {
        this.now = now;
    }

    public override DateTimeOffset GetUtcNow() => now;
}
