using Npgsql;
using Rebus.Transport;

namespace Router.Transport.PostgreSql;

/// <summary>
/// Writes its own rows in the transaction that carries a Rebus transaction context's messages: called once, at
/// commit, after the context's sends were inserted and before the transaction commits. Throwing rolls it all back.
/// </summary>
public interface IPostgresTransactionParticipant
{
    Task OnCommittingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ITransactionContext context,
        CancellationToken cancellationToken);
}
