namespace Router.Transport.Sqlite.Database;

/// <summary>The database cannot be used at all (missing or read-only directory, newer schema): a message for a human.</summary>
public sealed class SqliteDatabaseException(string message, Exception? innerException = null) : Exception(message, innerException);
