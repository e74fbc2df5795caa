using Rebus.Logging;
using Serilog.Events;

namespace Router.Core.Routing;

/// <summary>Rebus's log lines into our Serilog pipeline (Rebus.Serilog is not available to us). Rebus's chatter is demoted one level.</summary>
public sealed class SerilogRebusLoggerFactory(Serilog.ILogger logger) : AbstractRebusLoggerFactory
{
    protected override ILog GetLogger(Type type) => new Log(logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, type.FullName));

    private sealed class Log(Serilog.ILogger logger) : ILog
    {
        // Rebus uses positional {placeholders}; Serilog binds message-template properties by position too.
        public void Debug(string message, params object[] objs) => logger.Write(LogEventLevel.Verbose, message, objs);

        public void Info(string message, params object[] objs) => logger.Write(LogEventLevel.Debug, message, objs);

        public void Warn(string message, params object[] objs) => logger.Write(LogEventLevel.Warning, message, objs);

        public void Warn(Exception exception, string message, params object[] objs) => logger.Write(LogEventLevel.Warning, exception, message, objs);

        public void Error(string message, params object[] objs) => logger.Write(LogEventLevel.Error, message, objs);

        public void Error(Exception exception, string message, params object[] objs) => logger.Write(LogEventLevel.Error, exception, message, objs);
    }
}
