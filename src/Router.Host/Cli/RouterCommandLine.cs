using System.CommandLine;
using Router.Transport.Sqlite.Database;

namespace Router.Host.Cli;

/// <summary>The <c>router</c> command: verbs, common options, and the mapping of failures to the contract's exit codes.</summary>
public static class RouterCommandLine
{
    public static RootCommand Build(TextWriter output, TextWriter errors)
    {
        var root = new RootCommand("Router: an integration message router for 1C, e-commerce and delivery partners")
        {
            CommonOptions.Config,
            CommonOptions.Json,
            CommonOptions.Verbose,
        };
        foreach (var command in new ICommandDefinition[]
                 {
                     new RunCommand(), new ValidateCommand(), new RoutesCommand(), new TransformCommand(), new PreviewCommand(),
                     new SendCommand(), new DlqCommand(), new TraceCommand(), new SandboxCommand(), new SchemaCommand(),
                 })
        {
            root.Subcommands.Add(command.Create(action => Wrap(action, output, errors)));
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        var root = Build(output, errors);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await errors.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }
            await errors.WriteLineAsync("Run 'router --help' for usage.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        // Signals are the caller's (Program): System.CommandLine's own handling would end the process after a timeout,
        // cutting a graceful stop short.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, ProcessTerminationTimeout = null }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Runs a verb and turns failures into the contract: 2 for bad input or configuration, 1 for runtime failures.</summary>
    private static Func<ParseResult, CancellationToken, Task<int>> Wrap(Func<CliContext, CancellationToken, Task<int>> action, TextWriter output, TextWriter errors) =>
        async (parse, cancellationToken) =>
        {
            using var context = new CliContext(parse, output, errors);
            try
            {
                return await action(context, cancellationToken).ConfigureAwait(false);
            }
            catch (ConfigInvalidException e)
            {
                await errors.WriteLineAsync($"{context.ConfigPath}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            catch (UsageException e)
            {
                await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            catch (Router.Core.Config.ConfigException e)
            {
                await errors.WriteLineAsync(e.ToString()).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            catch (SqliteDatabaseException e)
            {
                await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.RuntimeFailure;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await errors.WriteLineAsync("cancelled").ConfigureAwait(false);
                return ExitCodes.RuntimeFailure;
            }
            catch (Exception e)
            {
                await errors.WriteLineAsync($"error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
                if (context.Verbose)
                {
                    await errors.WriteLineAsync(e.ToString()).ConfigureAwait(false);
                }
                return ExitCodes.RuntimeFailure;
            }
        };
}

/// <summary>One verb: builds its System.CommandLine command around an action that gets a <see cref="CliContext"/>.</summary>
public interface ICommandDefinition
{
    Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap);
}
