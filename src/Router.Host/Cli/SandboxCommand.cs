using System.CommandLine;
using Router.Sandbox.Hosting;

namespace Router.Host.Cli;

/// <summary><c>router sandbox</c>: the partner emulators on loopback until Ctrl-C.</summary>
public sealed class SandboxCommand : ICommandDefinition
{
    public const string DefaultUrl = "http://127.0.0.1:5090";

    private static readonly Option<string> Url = new("--url") { Description = "Where to listen (loopback)", DefaultValueFactory = _ => DefaultUrl };

    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        var command = new Command("sandbox", "Run the emulators of the partner APIs on loopback (fault injection under /_sandbox)") { Url };
        command.SetAction(wrap(RunAsync));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { Url = context.Parse.GetValue(Url)! }, cancellationToken);
        context.Out.WriteLine($"sandbox listening on {sandbox.BaseAddress} (Ctrl-C stops it)");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        return ExitCodes.Success;
    }
}
