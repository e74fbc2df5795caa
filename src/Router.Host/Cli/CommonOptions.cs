using System.CommandLine;

namespace Router.Host.Cli;

/// <summary>Options every verb takes.</summary>
public static class CommonOptions
{
    public static readonly Option<string> Config = new("--config", "-c")
    {
        Description = "The router YAML (default: $ROUTER_CONFIG, else config/router.yaml)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ROUTER_CONFIG") is { Length: > 0 } fromEnvironment ? fromEnvironment : "config/router.yaml",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print stable JSON instead of text",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log at debug level",
        Recursive = true,
    };
}
