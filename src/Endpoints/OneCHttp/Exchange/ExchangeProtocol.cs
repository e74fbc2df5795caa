using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Router.Core.Endpoints;
using Router.Endpoints.OneCHttp.Sale;
using Serilog;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>
/// The site's side of 1C's «Обмен с сайтом» (the 1C-Bitrix-compatible CommerceML HTTP protocol): one URL, the step
/// in <c>?type=catalog|sale&amp;mode=…</c>, answers as lines of text. 1C logs in with Basic auth on
/// <c>checkauth</c> and carries the cookie it is given on every later call.
/// </summary>
internal sealed class ExchangeProtocol
{
    private readonly ExchangeOptions options;
    private readonly TimeProvider clock;
    private readonly System.IO.Abstractions.IFileSystem fileSystem;
    private readonly ILogger logger;
    private readonly ExchangeSessions sessions;
    private readonly UploadStore uploads;
    private readonly RefusedUploads refused;
    private readonly ExchangeImporter importer;
    private readonly SaleQueue saleQueue;
    private readonly ConcurrentDictionary<Task, bool> background = new();
    private readonly CancellationTokenSource stopping = new();

    public ExchangeProtocol(string endpointId, ExchangeOptions options, EndpointServices services)
    {
        this.options = options;
        clock = services.Clock;
        fileSystem = services.FileSystem;
        logger = services.Logger.ForContext<ExchangeProtocol>().ForContext("EndpointId", endpointId);
        sessions = new ExchangeSessions(services.FileSystem, options.UploadDir, options.SessionTimeout, clock);
        uploads = new UploadStore(services.FileSystem, options);
        refused = new RefusedUploads(services.FileSystem, options, endpointId, clock, logger);
        importer = new ExchangeImporter(endpointId, services.FileSystem, refused, logger);
        saleQueue = new SaleQueue(services.FileSystem, options.SaleDir, clock);
    }

    public SaleQueue SaleQueue => saleQueue;

    public async Task HandleAsync(HttpContext context, IInboundSink sink)
    {
        var answer = await AnswerAsync(context, sink);
        if (answer.IsFailure)
        {
            logger.Warning("Answered 1C's {Type} {Mode} with failure: {Reason}", context.Request.Query["type"].ToString(), context.Request.Query["mode"].ToString(), answer.Lines[1]);
        }
        await answer.WriteAsync(context.Response, context.RequestAborted);
    }

    public async Task<ExchangeAnswer> AnswerAsync(HttpContext context, IInboundSink sink)
    {
        var query = context.Request.Query;
        var type = query["type"].ToString();
        var mode = query["mode"].ToString();
        if (type is not (ExchangeTypes.Catalog or ExchangeTypes.Sale))
        {
            return ExchangeAnswer.Failed($"type must be {ExchangeTypes.Catalog} or {ExchangeTypes.Sale}, not '{UploadName.Shown(type)}'");
        }
        if (mode == ExchangeModes.CheckAuth)
        {
            return CheckAuth(context.Request, type);
        }
        if (sessions.Find(context.Request.Headers.Cookie.ToString()) is not { } session)
        {
            return ExchangeAnswer.Failed($"no exchange session: call mode={ExchangeModes.CheckAuth} first and send the cookie it gives (sessions end after {options.SessionTimeout} unused or when the router restarts)");
        }
        var cancellationToken = context.RequestAborted;
        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            return (type, mode) switch
            {
                (_, ExchangeModes.Init) => Init(session),
                (_, ExchangeModes.File) => await UploadAsync(sink, session, type, query["filename"].ToString(), context.Request.Body, cancellationToken),
                (_, ExchangeModes.Import) => await ImportAsync(sink, session, type, query["filename"].ToString(), cancellationToken),
                (ExchangeTypes.Sale, ExchangeModes.Query) => await QueryAsync(session, cancellationToken),
                (ExchangeTypes.Sale, ExchangeModes.Success) => await CommitAsync(session, cancellationToken),
                (ExchangeTypes.Sale, ExchangeModes.Info) => ExchangeAnswer.Document(SaleQueryDocument.WriteDirectory(clock.GetUtcNow())),
                (ExchangeTypes.Catalog, ExchangeModes.Deactivate or ExchangeModes.Complete) => ExchangeAnswer.Ok(),
                _ => ExchangeAnswer.Failed($"mode '{UploadName.Shown(mode)}' is not part of the {type} exchange"),
            };
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>Waits for imports running in the background; when the token fires they are cancelled (their uploads stay, 1C sends them again).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(stopping.Cancel);
        await Task.WhenAll(background.Keys);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private ExchangeAnswer CheckAuth(HttpRequest request, string type)
    {
        var credentials = BasicCredentials.From(request.Headers.Authorization.ToString());
        if (credentials is null)
        {
            return ExchangeAnswer.Failed("HTTP Basic authorization is required: set the exchange user and password in 1C") with
            {
                Status = StatusCodes.Status401Unauthorized,
                Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic realm=\"1C exchange\", charset=\"UTF-8\"" },
            };
        }
        if (!credentials.Matches(options.User, options.Password))
        {
            logger.Warning("1C exchange login refused for user {User}", credentials.User);
            return ExchangeAnswer.Failed("wrong user name or password");
        }
        var session = sessions.Start();
        logger.Information("1C logged in for a {Type} exchange ({Session})", type, session.ToString());
        return ExchangeAnswer.Ok(ExchangeSessions.CookieName, session.Cookie);
    }

    private ExchangeAnswer Init(ExchangeSession session)
    {
        if (session.RunningImports.Values.Any(t => !t.IsCompleted))
        {
            return ExchangeAnswer.Failed("an import of this session is still running; wait for it before starting over");
        }
        session.RunningImports.Clear();
        uploads.Clear(session);
        // zip=no: an archive would have to be unpacked on the router, with its own path and size traps; 1C sends plain files then.
        return new ExchangeAnswer { Lines = ["zip=no", $"file_limit={options.FileLimit}"] };
    }

    private async Task<ExchangeAnswer> UploadAsync(IInboundSink sink, ExchangeSession session, string type, string filename, Stream body, CancellationToken cancellationToken)
    {
        var origin = $"1C exchange type={type}, {session}";
        string name;
        try
        {
            name = UploadName.Normalize(filename);
        }
        catch (UploadRefusal refusal)
        {
            var stashed = await refused.StashAsync(body, string.IsNullOrWhiteSpace(filename) ? "unnamed" : filename, cancellationToken);
            await refused.KeepAsync(sink, stashed, UploadName.Shown(filename), origin, refusal.Code, refusal.Message, cancellationToken);
            return ExchangeAnswer.Failed(refusal.Message);
        }
        if (session.RunningImports.TryGetValue(name, out var running) && !running.IsCompleted)
        {
            return ExchangeAnswer.Failed($"{name} is still being imported; upload it again after its import answered");
        }
        try
        {
            await uploads.AppendAsync(session, name, body, cancellationToken);
        }
        catch (UploadRefusal refusal)
        {
            await refused.KeepAsync(sink, uploads.PathOf(session, name), name, origin, refusal.Code, refusal.Message, cancellationToken);
            return ExchangeAnswer.Failed(refusal.Message);
        }
        session.Imported.Remove(name);
        return ExchangeAnswer.Ok();
    }

    private async Task<ExchangeAnswer> ImportAsync(IInboundSink sink, ExchangeSession session, string type, string filename, CancellationToken cancellationToken)
    {
        string name;
        try
        {
            name = UploadName.Normalize(filename);
        }
        catch (UploadRefusal refusal)
        {
            return ExchangeAnswer.Failed(refusal.Message);
        }
        if (session.RunningImports.TryGetValue(name, out var running))
        {
            if (!running.IsCompleted)
            {
                return ExchangeAnswer.InProgress($"{name} is still being handed to the router");
            }
            session.RunningImports.Remove(name);
            return Finished(session, name, await running);
        }
        if (session.Imported.Contains(name))
        {
            return ExchangeAnswer.Ok($"{name} imported");
        }
        var path = uploads.PathOf(session, name);
        var info = fileSystem.FileInfo.New(path);
        if (!info.Exists)
        {
            return ExchangeAnswer.Failed($"{name} was not uploaded in this exchange session (mode=file comes before mode=import)");
        }
        if (info.Length <= options.BackgroundImportAbove)
        {
            return Finished(session, name, await importer.ImportAsync(sink, session, type, name, path, cancellationToken));
        }
        session.RunningImports[name] = InBackground(() => importer.ImportAsync(sink, session, type, name, path, stopping.Token), name);
        return ExchangeAnswer.InProgress($"{name}: {info.Length} bytes are being handed to the router");
    }

    private static ExchangeAnswer Finished(ExchangeSession session, string name, ExchangeAnswer answer)
    {
        if (!answer.IsFailure)
        {
            session.Imported.Add(name);
        }
        return answer;
    }

    private Task<ExchangeAnswer> InBackground(Func<Task<ExchangeAnswer>> work, string name)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                return await work();
            }
            catch (OperationCanceledException)
            {
                return ExchangeAnswer.Failed($"the router stopped while importing {name}; run the exchange again");
            }
            catch (Exception ex)
            {
                logger.Error(ex, "Importing {File} in the background failed", name);
                return ExchangeAnswer.Failed($"importing {name} failed: {ex.Message}");
            }
        });
        background[task] = true;
        _ = task.ContinueWith(t => background.TryRemove(t, out _), TaskScheduler.Default);
        return task;
    }

    private async Task<ExchangeAnswer> QueryAsync(ExchangeSession session, CancellationToken cancellationToken)
    {
        var offer = await saleQueue.QueryAsync(cancellationToken);
        logger.Information("1C's sale query ({Session}) was offered {Count} order(s): {Numbers}", session.ToString(), offer.Numbers.Count, offer.Numbers);
        return ExchangeAnswer.Document(offer.Body);
    }

    private async Task<ExchangeAnswer> CommitAsync(ExchangeSession session, CancellationToken cancellationToken)
    {
        var committed = await saleQueue.CommitAsync(cancellationToken);
        logger.Information("1C confirmed its sale query ({Session}): {Count} order(s) leave the queue", session.ToString(), committed);
        return ExchangeAnswer.Ok();
    }
}

internal static class ExchangeTypes
{
    public const string Catalog = "catalog";
    public const string Sale = "sale";
}

internal static class ExchangeModes
{
    public const string CheckAuth = "checkauth";
    public const string Init = "init";
    public const string File = "file";
    public const string Import = "import";
    public const string Query = "query";
    public const string Success = "success";
    public const string Info = "info";
    public const string Deactivate = "deactivate";
    public const string Complete = "complete";
}
