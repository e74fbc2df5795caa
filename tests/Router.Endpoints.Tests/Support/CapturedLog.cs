using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Router.Endpoints.Tests.Support;

/// <summary>A Serilog logger that keeps every event, rendered, so tests can assert on what was (and was not) logged.</summary>
internal sealed class CapturedLog : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> events = new();

    public CapturedLog()
    {
        Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();
    }

    public ILogger Logger { get; }

    public IReadOnlyList<LogEvent> Events => events.ToList();

    public IEnumerable<string> Lines(LogEventLevel? level = null) =>
        events.Where(e => level is null || e.Level == level).Select(e => e.RenderMessage() + (e.Exception is null ? "" : " " + e.Exception));

    public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
}

/// <summary>The system clock moved by a settable offset: "24 hours later" without waiting, timers still real.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
