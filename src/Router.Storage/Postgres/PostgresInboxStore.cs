using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

internal sealed class PostgresInboxStore(NpgsqlDataSource dataSource) : IInboxStore
{
    public async Task<InboxEntry?> FindAsync(string scope, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = PostgresCommands.Create(connection, null,
                "SELECT payload_hash, first_seen_at FROM state_inbox WHERE scope = @scope AND message_id = @message_id")
            .With("scope", scope)
            .With("message_id", messageId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new InboxEntry(scope, messageId, reader.GetString(0), reader.GetTime(1));
    }
}
