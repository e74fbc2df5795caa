namespace Router.Host.Cli;

/// <summary>The CLI contract's exit codes: tests and scripts depend on them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int RuntimeFailure = 1;
    public const int InvalidInput = 2;
}

/// <summary>Bad input from the user (a file that is not JSON, an unknown route): exit code 2 with the message.</summary>
public sealed class UsageException(string message) : Exception(message);
