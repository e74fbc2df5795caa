using Router.Core.Stores;
using Router.Transport.Sqlite.Database;

namespace Router.Storage.Sqlite;

internal sealed class SqliteInboxStore(SqliteDatabase database) : IInboxStore
{
    public Task<InboxEntry?> FindAsync(string scope, string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync<InboxEntry?>(async (connection, ct) =>
        {
            await using var select = SqliteCommands.Create(connection, null,
                    "SELECT payload_hash, first_seen_at FROM state_inbox WHERE scope = $scope AND message_id = $message_id")
                .With("$scope", scope)
                .With("$message_id", messageId);
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }
            return new InboxEntry(scope, messageId, reader.GetString(0), SqliteTime.FromText(reader.GetString(1)));
        }, cancellationToken);
}
