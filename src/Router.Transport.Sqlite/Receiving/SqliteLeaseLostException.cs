namespace Router.Transport.Sqlite;

/// <summary>
/// A received message could not be committed because its lease ran out and the row was released or taken by another
/// receiver (a handler that outlived lease renewal, e.g. a stalled process). Nothing of the context was written; the
/// other holder handles the message.
/// </summary>
public sealed class SqliteLeaseLostException(string message) : Exception(message);
