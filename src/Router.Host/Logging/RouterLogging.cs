using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Router.Host.Logging;

/// <summary>
/// Logs go to stderr so stdout stays the command's result (JSON with --json, the summary, a table). Text by
/// default; <c>logging.format: json</c> gives compact JSON lines for collectors.
/// </summary>
public static class RouterLogging
{
    public static Serilog.Core.Logger Create(string level, string format)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ParseLevel(level))
            .Enrich.FromLogContext();
        configuration = format == "json"
            ? configuration.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
            : configuration.WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        return configuration.CreateLogger();
    }

    public static LogEventLevel ParseLevel(string level) => level.ToLowerInvariant() switch
    {
        "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };
}
