using System.Text;
using Microsoft.Data.Sqlite;
using Rebus.Messages;
using Rebus.Transport;
using Router.Transport.Sqlite.Database;

namespace Router.Transport.Sqlite.Tests.Support;

/// <summary>Small helpers for the SQLite-specific tests.</summary>
public static class SqliteTestKit
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public static SqliteTransport NewTransport(SqliteDatabase database, string? queue, SqliteTransportOptions? options = null)
    {
        var transport = new SqliteTransport(database, queue, options ?? new SqliteTransportOptions().Lease(TimeSpan.FromSeconds(2)));
        transport.Initialize();
        return transport;
    }

    public static TransportMessage Message(string text) =>
        new(new Dictionary<string, string> { [Headers.MessageId] = Guid.NewGuid().ToString() }, Encoding.UTF8.GetBytes(text));

    public static string TextOf(TransportMessage message) => Encoding.UTF8.GetString(message.Body);

    public static async Task SendAsync(ITransport transport, string queue, params TransportMessage[] messages)
    {
        using var scope = new RebusTransactionScope();
        foreach (var message in messages)
        {
            await transport.Send(queue, message, scope.TransactionContext);
        }
        await scope.CompleteAsync();
    }

    public static async Task<TransportMessage?> ReceiveOnceAsync(ITransport transport)
    {
        using var scope = new RebusTransactionScope();
        var message = await transport.Receive(scope.TransactionContext, CancellationToken.None);
        if (message is not null)
        {
            await scope.CompleteAsync();
        }
        return message;
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? Generous);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }

    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout);

    public static Task ExecuteAsync(SqliteDatabase database, string sql, params (string Name, object? Value)[] parameters) =>
        database.ExecuteWriteAsync(async (connection, transaction, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
            await command.ExecuteNonQueryAsync(ct);
        }, durable: true);

    public static Task<long> ScalarAsync(SqliteDatabase database, string sql, params (string Name, object? Value)[] parameters) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        });

    public static Task<long> CountAsync(SqliteDatabase database, string queue) =>
        ScalarAsync(database, "SELECT COUNT(*) FROM transport_messages WHERE queue = $q", ("$q", queue));
}
