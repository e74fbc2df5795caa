namespace Router.Testing;

/// <summary>
/// The real servers (FTP, SFTP, RabbitMQ, PostgreSQL, SMTP) that <c>scripts/services.sh</c> starts for the suite and
/// describes in <c>ROUTER_TEST_*</c> variables.
/// </summary>
public static class TestServers
{
    /// <summary>Set by <c>scripts/services.sh</c> once it has tried to start every server.</summary>
    public const string StartedMarker = "ROUTER_TEST_SERVICES";

    /// <summary>
    /// The value of <paramref name="variable"/>. Under <c>scripts/test.sh</c> a missing value fails the test (its server
    /// did not start, which must not pass for a skip); under a bare <c>dotnet test</c> the test is ignored with a hint.
    /// </summary>
    public static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(StartedMarker)))
        {
            Assert.Fail($"{variable} is not set: scripts/services.sh could not start the server this test needs (see its output)");
        }

        Assert.Ignore($"needs {variable}: run the suite with scripts/test.sh, which starts the test servers");
        return value!;
    }
}
