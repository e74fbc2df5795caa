using System.CommandLine;
using System.IO.Abstractions;
using System.Text.Json;
using Router.Core.Config;
using Router.Core.Config.Model;
using Router.Core.Messages;
using Router.Host.Composition;
using Router.Host.Logging;

namespace Router.Host.Cli;

/// <summary>What a verb works with: its parsed options, the loaded configuration, output helpers, a logger.</summary>
public sealed class CliContext : IDisposable
{
    private Serilog.Core.Logger? logger;

    public CliContext(ParseResult parse, TextWriter output, TextWriter errors)
    {
        Parse = parse;
        Out = output;
        Error = errors;
        ConfigPath = parse.GetValue(CommonOptions.Config)!;
        Json = parse.GetValue(CommonOptions.Json);
        Verbose = parse.GetValue(CommonOptions.Verbose);
    }

    public ParseResult Parse { get; }
    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public string ConfigPath { get; }
    public bool Json { get; }
    public bool Verbose { get; }
    public IFileSystem FileSystem { get; } = new FileSystem();
    public TimeProvider Clock { get; } = TimeProvider.System;

    /// <summary>Loads and validates the configuration; on problems prints them and throws so the verb exits with 2.</summary>
    public RouterConfig LoadConfig()
    {
        var result = Load();
        if (result.Config is null)
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                Error.WriteLine(diagnostic.ToString());
            }
            throw new ConfigInvalidException(result.Diagnostics.Count(d => d.IsError));
        }
        foreach (var warning in result.Diagnostics)
        {
            Error.WriteLine(warning.ToString());
        }
        return result.Config;
    }

    public ConfigLoadResult Load() =>
        new ConfigLoader(BuiltInComponents.EndpointKinds(), BuiltInComponents.Transformers(), FileSystem, Environment.GetEnvironmentVariable)
            .Load(ConfigPath);

    /// <summary>
    /// The logger for this command. <paramref name="quietByDefault"/> verbs (those whose output already says what
    /// happened: run --once's summary, admin verbs) log errors only unless --verbose.
    /// </summary>
    public Serilog.ILogger Logger(RouterConfig? config, bool quietByDefault = false)
    {
        if (logger is null)
        {
            var level = Verbose ? "debug" : quietByDefault ? "error" : config?.Router.Logging.Level ?? "information";
            logger = RouterLogging.Create(level, config?.Router.Logging.Format ?? "text");
        }
        return logger;
    }

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, RouterJson.Indented));

    public void Dispose() => logger?.Dispose();
}

/// <summary>The configuration has errors (already printed).</summary>
public sealed class ConfigInvalidException(int errors) : Exception($"the configuration has {errors} error(s)");
