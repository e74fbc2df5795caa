using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Router.Transport.Sqlite.Messages;

/// <summary>
/// Prepared statements of the database's writer connection, kept for its lifetime: a new SqliteCommand parses and
/// plans its SQL again on every execution, which costs the single writer thread more than the hot statements
/// themselves (receive, delete, insert). Only for write requests — the writer runs them one at a time, so a cached
/// command is never used twice at once; read connections come and go and take plain commands.
/// </summary>
internal static class StatementCache
{
    private static readonly ConditionalWeakTable<SqliteConnection, ConcurrentDictionary<string, SqliteCommand>> PerConnection = new();

    /// <summary>The connection's command for <paramref name="sql"/>, bound to the current transaction, parameters cleared. Do not dispose it.</summary>
    public static SqliteCommand For(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var commands = PerConnection.GetValue(connection, _ => new ConcurrentDictionary<string, SqliteCommand>(StringComparer.Ordinal));
        var command = commands.GetOrAdd(sql, text =>
        {
            var created = connection.CreateCommand();
            created.CommandText = text;
            return created;
        });
        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }
}
