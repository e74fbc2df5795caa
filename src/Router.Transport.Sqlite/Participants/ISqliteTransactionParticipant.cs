using Microsoft.Data.Sqlite;
using Rebus.Transport;

namespace Router.Transport.Sqlite;

/// <summary>
/// Writes state in the very transaction that commits a Rebus transaction context's work on the SQLite transport —
/// the router's inbox, journal and dead letters commit atomically with the message itself.
/// </summary>
/// <remarks>
/// <para>When it is called, always inside one write request (one savepoint of the database's group commit), after the
/// transport's own statements:</para>
/// <list type="bullet">
/// <item><b>A context that holds a message received by the transport, committing</b> (Rebus's retry step commits a
/// successfully handled message eagerly, before the context completes): the request deletes the received row — only
/// if this receiver's lease still holds it — inserts every message sent in the context, then calls the participants.</item>
/// <item><b>A context without a received message</b> (a one-way client's send, an inbound hand-off, a
/// <c>RebusTransactionScope</c>) committing with at least one message sent through the transport: the request inserts
/// those messages and calls the participants; it is fsynced (durable) because it usually acknowledges a source.
/// A context that sends nothing through the transport makes no write request, so participants are not called.</item>
/// </list>
/// <para>Never called when the context rolls back or nacks (the received message is released for another attempt),
/// nor for Rebus's final-failure path (commit: false, ack: true), where the transport only deletes the received row
/// after Rebus has sent the copy to the error queue in its own transaction.</para>
/// <para>If a participant throws, the request's savepoint rolls back: the received row stays (still leased, then
/// released when Rebus nacks), nothing sent in the context is inserted, no other participant's writes remain, and the
/// exception surfaces from the commit to Rebus — for a received message inside its retry step, so it counts as a failed
/// delivery attempt (error tracker, maxDeliveryAttempts, error queue) like an exception thrown by the handler.</para>
/// <para>Every participant registered on the transport is called for every such commit, with the committing context:
/// a participant that has nothing to write for a context (look at <see cref="ITransactionContext.Items"/>) returns
/// at once. Use only the given connection and transaction, do no outside I/O and keep it short: the database has one
/// writer, and other requests of the same group commit wait. The work commits when the task completes — other
/// requests of the group may still fail on their own without affecting this one.</para>
/// </remarks>
public interface ISqliteTransactionParticipant
{
    Task OnCommittingAsync(SqliteConnection connection, SqliteTransaction transaction, ITransactionContext context,
        CancellationToken cancellationToken);
}
