using System.Collections.Concurrent;
using System.IO.Abstractions;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Router.Endpoints.Folder;

namespace Router.Endpoints.OneCHttp.Sale;

/// <summary>What one <c>sale query</c> offered: the documents and their content hashes at that moment.</summary>
public sealed record SaleOffer(IReadOnlyList<string> Numbers, byte[] Body);

/// <summary>
/// The orders waiting for 1C's <c>sale query</c>, as files under <c>exchangeDir/sale/</c>: one file per order
/// number in pending/ (written atomically and flushed, so a delivery acknowledged is a delivery kept; a re-delivery
/// of the same number replaces the file), and offered.json, what the last query offered. <c>sale success</c>
/// removes exactly those documents, unless one changed since it was offered, which is then offered again. Without a
/// success the next query offers the same orders again, plus new ones: 1C dedupes by <c>Документ/Ид</c>.
/// </summary>
/// <remarks>
/// Files rather than a table: the endpoint has no database of its own, the files survive a restart with the rest of
/// the exchange folder, and an operator can see (and, in an emergency, edit) what 1C will get. The delivery leg
/// (writer) and the listener (reader) are separate endpoint instances, so they share one lock per folder.
/// </remarks>
public sealed class SaleQueue
{
    private const string OfferFile = "offered.json";
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly IFileSystem fileSystem;
    private readonly TimeProvider clock;
    private readonly AtomicFileWriter writer;
    private readonly SemaphoreSlim gate;

    public SaleQueue(IFileSystem fileSystem, string saleDir, TimeProvider clock)
    {
        this.fileSystem = fileSystem;
        this.clock = clock;
        writer = new AtomicFileWriter(fileSystem);
        SaleDir = fileSystem.Path.GetFullPath(saleDir);
        PendingDir = fileSystem.Path.Combine(SaleDir, "pending");
        gate = Gates.GetOrAdd(SaleDir, _ => new SemaphoreSlim(1, 1));
    }

    public string SaleDir { get; }

    public string PendingDir { get; }

    public string FileOf(string number) => fileSystem.Path.Combine(PendingDir, SafeFileName.From(number) + ".xml");

    public async Task EnqueueAsync(IReadOnlyList<SaleDocument> documents, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var document in documents)
            {
                var text = $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<{SaleDocument.RootName}>{document.Xml}</{SaleDocument.RootName}>\n";
                await writer.WriteAsync(FileOf(document.Number), Utf8.GetBytes(text), cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Every pending document (oldest first) as the windows-1251 answer, remembering what was offered.</summary>
    public async Task<SaleOffer> QueryAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var pending = Pending();
            var documents = new List<SaleDocument>();
            var offered = new List<OfferedFile>();
            foreach (var path in pending)
            {
                var bytes = await fileSystem.File.ReadAllBytesAsync(path, cancellationToken);
                documents.AddRange(SaleDocument.Parse(Utf8.GetString(bytes), path));
                offered.Add(new OfferedFile(fileSystem.Path.GetFileName(path), Hash(bytes)));
            }
            var body = SaleQueryDocument.Write(documents, clock.GetUtcNow());
            await writer.WriteAsync(fileSystem.Path.Combine(SaleDir, OfferFile), JsonSerializer.SerializeToUtf8Bytes(offered), cancellationToken);
            return new SaleOffer(documents.Select(d => d.Number).ToList(), body);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>1C took what the last query offered: those documents leave the queue. Returns how many did.</summary>
    public async Task<int> CommitAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var offerPath = fileSystem.Path.Combine(SaleDir, OfferFile);
            if (!fileSystem.File.Exists(offerPath))
            {
                return 0;
            }
            var offered = JsonSerializer.Deserialize<List<OfferedFile>>(await fileSystem.File.ReadAllBytesAsync(offerPath, cancellationToken)) ?? [];
            var committed = 0;
            foreach (var file in offered)
            {
                var path = fileSystem.Path.Combine(PendingDir, file.Name);
                // A document re-delivered after the query is not what 1C took: it stays and is offered next time.
                if (fileSystem.File.Exists(path) && Hash(await fileSystem.File.ReadAllBytesAsync(path, cancellationToken)) == file.Sha256)
                {
                    fileSystem.File.Delete(path);
                    committed++;
                }
            }
            fileSystem.File.Delete(offerPath);
            return committed;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The pending files, oldest delivery first.</summary>
    public IReadOnlyList<string> Pending() =>
        !fileSystem.Directory.Exists(PendingDir)
            ? []
            : fileSystem.Directory.GetFiles(PendingDir, "*.xml")
                .Where(p => !fileSystem.Path.GetFileName(p).StartsWith('.'))
                .OrderBy(p => fileSystem.File.GetLastWriteTimeUtc(p))
                .ThenBy(p => p, StringComparer.Ordinal)
                .ToList();

    private static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private sealed record OfferedFile(string Name, string Sha256);
}
