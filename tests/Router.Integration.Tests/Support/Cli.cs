using Router.Host.Cli;

namespace Router.Integration.Tests.Support;

/// <summary>Runs the <c>router</c> command in-process, capturing what it prints.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await RouterCommandLine.RunAsync(args, output, errors);
        return new Result(exit, output.ToString(), errors.ToString());
    }
}
