namespace Router.Storage.Journaling;

/// <summary>Some journal entries enqueued before a flush could not be written.</summary>
public sealed class JournalWriteException(Exception innerException)
    : Exception($"journal entries could not be written: {innerException.Message}", innerException);
