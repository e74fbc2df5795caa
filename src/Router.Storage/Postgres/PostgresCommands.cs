using Npgsql;
using NpgsqlTypes;

namespace Router.Storage.Postgres;

/// <summary>
/// Small helpers for commands with typed parameters. Types are always given: a null compared with
/// <c>IS NOT DISTINCT FROM</c> has no type PostgreSQL could infer, and times must go out as UTC timestamptz.
/// </summary>
internal static class PostgresCommands
{
    public static NpgsqlCommand Create(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) =>
        new(sql, connection, transaction);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, string? value)
    {
        command.Parameters.Add(Text(name, value));
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, long value)
    {
        command.Parameters.Add(new NpgsqlParameter<long>(name, NpgsqlDbType.Bigint) { TypedValue = value });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, int value)
    {
        command.Parameters.Add(new NpgsqlParameter<int>(name, NpgsqlDbType.Integer) { TypedValue = value });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, DateTimeOffset? value)
    {
        command.Parameters.Add(Time(name, value));
        return command;
    }

    public static NpgsqlCommand WithArray(this NpgsqlCommand command, string name, IEnumerable<string> values)
    {
        command.Parameters.Add(new NpgsqlParameter<string[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values.ToArray() });
        return command;
    }

    public static NpgsqlCommand WithArray(this NpgsqlCommand command, string name, IEnumerable<long> values)
    {
        command.Parameters.Add(new NpgsqlParameter<long[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = values.ToArray() });
        return command;
    }

    public static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Jsonb(string name, string json) => new(name, NpgsqlDbType.Jsonb) { Value = json };

    public static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value };

    public static async Task ExecuteAndDisposeAsync(this NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset GetTime(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
}
