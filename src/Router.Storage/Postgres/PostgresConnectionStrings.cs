using Npgsql;

namespace Router.Storage.Postgres;

/// <summary>Connection strings as they may appear in logs and errors: never with their password.</summary>
public static class PostgresConnectionStrings
{
    /// <summary>Host, port and database only, e.g. "db.local:5432/router": enough to tell which server was meant.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        }
        catch (ArgumentException)
        {
            return "(an unreadable connection string)";
        }
    }

    /// <summary>
    /// True when both name the same database on the same server as the same user, so one transaction can span what
    /// each holds (the transport's queue table and the router's state).
    /// </summary>
    public static bool SameDatabase(string first, string second)
    {
        var a = new NpgsqlConnectionStringBuilder(first);
        var b = new NpgsqlConnectionStringBuilder(second);
        return string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port &&
               string.Equals(a.Database ?? a.Username, b.Database ?? b.Username, StringComparison.Ordinal) &&
               string.Equals(a.Username, b.Username, StringComparison.Ordinal) &&
               string.Equals(a.SearchPath, b.SearchPath, StringComparison.Ordinal);
    }
}
