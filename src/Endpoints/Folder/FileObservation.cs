namespace Router.Endpoints.Folder;

/// <summary>One look at one file: what the stable rule compares between looks.</summary>
public readonly record struct FileObservation(string FullPath, string Name, long Length, DateTime LastWriteUtc);
