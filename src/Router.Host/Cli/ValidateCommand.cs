using System.CommandLine;

namespace Router.Host.Cli;

/// <summary><c>router validate</c>: every problem at once as <c>file:line:col: error: …</c>; exit 2 when invalid.</summary>
public sealed class ValidateCommand : ICommandDefinition
{
    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        var command = new Command("validate", "Check the YAML and every reference; print file:line:col: error: lines");
        command.SetAction(wrap(Run));
        return command;
    }

    private static Task<int> Run(CliContext context, CancellationToken cancellationToken)
    {
        var result = context.Load();
        if (context.Json)
        {
            context.WriteJson(new
            {
                valid = !result.HasErrors,
                file = context.ConfigPath,
                diagnostics = result.Diagnostics.Select(d => new
                {
                    file = d.Mark.File,
                    line = d.Mark.Line,
                    column = d.Mark.Column,
                    severity = d.IsError ? "error" : "warning",
                    message = d.Message,
                }),
            });
        }
        else
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                context.Out.WriteLine(diagnostic.ToString());
            }
            if (result.Config is { } config)
            {
                context.Out.WriteLine($"{context.ConfigPath}: valid ({config.Endpoints.Count} endpoints, {config.Routes.Count} routes, {config.Files.Count} file(s))");
            }
            else
            {
                context.Out.WriteLine($"{context.ConfigPath}: {result.Errors.Count()} error(s)");
            }
        }
        return Task.FromResult(result.HasErrors ? ExitCodes.InvalidInput : ExitCodes.Success);
    }
}
