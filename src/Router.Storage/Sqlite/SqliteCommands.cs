using Microsoft.Data.Sqlite;

namespace Router.Storage.Sqlite;

internal static class SqliteCommands
{
    public static SqliteCommand Create(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Declares a parameter once so a command executed per row only rebinds values (no re-prepare).</summary>
    public static SqliteParameter Declare(this SqliteCommand command, string name, SqliteType type) =>
        command.Parameters.Add(name, type);

    public static void Bind(this SqliteParameter parameter, object? value) => parameter.Value = value ?? DBNull.Value;

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
