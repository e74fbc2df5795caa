namespace Router.Endpoints.Tests.Support;

/// <summary>
/// A clock whose pauses end at once, after running a hook: lets a test change a file "while" an endpoint waits
/// for it to settle, with no real waiting.
/// </summary>
internal sealed class PauseHookClock : TimeProvider
{
    private readonly Action onPause;

    public PauseHookClock(Action? onPause = null)
    {
        this.onPause = onPause ?? (() => { });
    }

    public List<TimeSpan> Pauses { get; } = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Pauses.Add(dueTime);
        onPause();
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new SpentTimer();
    }

    private sealed class SpentTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
