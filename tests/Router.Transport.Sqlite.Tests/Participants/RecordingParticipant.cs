using Microsoft.Data.Sqlite;
using Rebus.Transport;

namespace Router.Transport.Sqlite.Tests.Participants;

/// <summary>
/// Writes one row per commit it takes part in (tagged with the context's "tag" item, if any) and can be told to fail,
/// so a test can see whether its write survived together with the message.
/// </summary>
public sealed class RecordingParticipant : ISqliteTransactionParticipant
{
    public const string TagKey = "tag";
    public const string FailTag = "fail";
    public const string CreateTableSql = "CREATE TABLE IF NOT EXISTS participant_log (id INTEGER PRIMARY KEY, tag TEXT NULL)";

    private int calls;

    /// <summary>How many of the next calls throw, whatever the tag.</summary>
    public int FailNextCalls { get; set; }

    public int Calls => Volatile.Read(ref calls);

    public async Task OnCommittingAsync(SqliteConnection connection, SqliteTransaction transaction, ITransactionContext context,
        CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        var tag = context.Items.TryGetValue(TagKey, out var value) ? value as string : null;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO participant_log (tag) VALUES ($tag)";
            command.Parameters.AddWithValue("$tag", (object?)tag ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        if (tag == FailTag)
        {
            throw new InvalidOperationException("the participant refuses this commit");
        }
        if (FailNextCalls > 0)
        {
            FailNextCalls--;
            throw new InvalidOperationException("the participant failed on purpose");
        }
    }
}
