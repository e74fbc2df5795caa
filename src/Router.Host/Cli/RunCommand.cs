using System.CommandLine;
using System.Diagnostics;
using Router.Core.Endpoints;
using Router.Core.Routing;
using Router.Core.Stores;
using Router.Endpoints.Listener;
using Router.Host.Composition;
using Router.Host.Summary;
using Router.Sandbox.Hosting;

namespace Router.Host.Cli;

/// <summary>
/// <c>router run [--once]</c>: starts the host. With --once: polls every inbound endpoint once, drains all queues
/// (including delivery retries that are due), prints a summary and exits.
/// </summary>
public sealed class RunCommand : ICommandDefinition
{
    private static readonly Option<bool> Once = new("--once") { Description = "Poll once, drain the queues, print a summary, exit" };
    private static readonly Option<string> Settle = new("--settle")
    {
        Description = "With --once: how long a file's size and time must stay unchanged to count as complete (default 1s)",
        DefaultValueFactory = _ => "1s",
    };
    private static readonly Option<string> Timeout = new("--timeout")
    {
        Description = "With --once: give up draining after this long (default 10m)",
        DefaultValueFactory = _ => "10m",
    };
    private static readonly Option<string> Quiet = new("--quiet")
    {
        Description = "With --once, when endpoints are served over HTTP (webhooks): after draining, wait until no call has arrived for this long (default 3s)",
        DefaultValueFactory = _ => "3s",
    };
    private static readonly Option<bool> WithSandbox = new("--sandbox") { Description = "Also run the partner emulators (router sandbox) in this process" };
    private static readonly Option<string> SandboxUrl = new("--sandbox-url") { Description = "Where --sandbox listens", DefaultValueFactory = _ => SandboxCommand.DefaultUrl };

    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        var command = new Command("run", "Start the router (until Ctrl-C), or with --once: poll, drain, summarise, exit")
        {
            Once, Settle, Timeout, Quiet, WithSandbox, SandboxUrl,
        };
        command.SetAction(wrap(RunAsync));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var once = context.Parse.GetValue(Once);
        var config = context.LoadConfig();
        var logger = context.Logger(config, quietByDefault: once);
        var settle = Duration(context.Parse.GetValue(Settle)!, "--settle");
        var timeout = Duration(context.Parse.GetValue(Timeout)!, "--timeout");
        var quiet = Duration(context.Parse.GetValue(Quiet)!, "--quiet");
        await using var sandbox = context.Parse.GetValue(WithSandbox)
            ? await SandboxHost.StartAsync(new SandboxOptions { Url = context.Parse.GetValue(SandboxUrl)! }, cancellationToken)
            : null;
        await using var runtime = await RouterRuntimeFactory.CreateAsync(config, logger, context.FileSystem, context.Clock, cancellationToken);
        var engine = new RouterEngine(runtime);
        var started = context.Clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            engine.Start();
            if (once)
            {
                // Partners that answer by webhook (a payment's status) call back while the queues drain.
                await using var callbacks = await StartListenerAsync(runtime, engine, logger, cancellationToken);
                if (sandbox is not null && callbacks is not null)
                {
                    SandboxCallbacks.PointAt(sandbox, config, callbacks.Address, logger);
                }
                var polls = await engine.PollAllOnceAsync(settle, cancellationToken);
                var drained = await engine.WaitUntilQuietAsync(timeout, callbacks is null ? TimeSpan.Zero : quiet, cancellationToken);
                if (callbacks is not null)
                {
                    await callbacks.StopAsync(CancellationToken.None);
                }
                await engine.DisposeAsync();
                var summary = await SummariseAsync(runtime, polls, drained, started, stopwatch.Elapsed, cancellationToken);
                if (context.Json)
                {
                    context.WriteJson(new
                    {
                        drained,
                        elapsedSeconds = summary.Elapsed.TotalSeconds,
                        polls = summary.Polls,
                        steps = summary.Counts.GroupBy(c => c.Step).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)),
                        deadLetters = summary.NewDeadLetters.Select(d => new { id = d.Id, route = d.Route, endpoint = d.Endpoint, errorCode = d.ErrorCode, errorMessage = d.ErrorMessage, messageId = d.MessageId }),
                        deferredWaiting = summary.DeferredWaiting,
                    });
                }
                else
                {
                    context.Out.Write(summary.Render(context.ConfigPath));
                }
                return drained ? ExitCodes.Success : ExitCodes.RuntimeFailure;
            }
            await using var listener = await StartListenerAsync(runtime, engine, logger, cancellationToken);
            logger.Information("Router running with {Config}; Ctrl-C stops it", context.ConfigPath);
            if (sandbox is not null)
            {
                logger.Information("Sandbox emulators at {Url}", sandbox.BaseAddress);
                if (listener is not null)
                {
                    SandboxCallbacks.PointAt(sandbox, config, listener.Address, logger);
                }
            }
            // Until Ctrl-C or SIGTERM, even when nothing polls: an HTTP-only router waits for its callers.
            await Task.WhenAll(engine.RunPollersAsync(cancellationToken), UntilCancelledAsync(cancellationToken));
            if (listener is not null)
            {
                // Callers first: no new hand-offs may start while the engine behind them stops.
                logger.Information("Stopping the HTTP listener: finishing requests in flight (up to {Grace})", RouterHttpListener.StopGrace);
                await listener.StopAsync(CancellationToken.None);
            }
            logger.Information("Stopping: finishing in-flight messages (up to {Grace}), returning the rest to their queues", engine.ShutdownGrace);
            await engine.DisposeAsync();
            logger.Information("Stopped");
            return ExitCodes.Success;
        }
        finally
        {
            await engine.DisposeAsync();
        }
    }

    /// <summary>The listener on router.http.listen when some routed endpoint is served over HTTP; null when none is (no port is opened).</summary>
    private static async Task<RouterHttpListener?> StartListenerAsync(RouterRuntime runtime, RouterEngine engine, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var served = runtime.Inbound.Values.OfType<IHttpInboundEndpoint>().ToList();
        if (served.Count == 0)
        {
            return null;
        }
        // validate reports a missing address; this guards configurations built without the loader.
        var listen = runtime.Config.Router.Http.Listen
            ?? throw new UsageException($"endpoints {string.Join(", ", served.Select(e => e.Id))} are called over HTTP: set router.http.listen");
        try
        {
            return await RouterHttpListener.StartAsync(listen, served, engine.Sink, logger, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new IOException($"cannot listen on {listen} (router.http.listen): {ex.Message}", ex);
        }
    }

    private static async Task UntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<RunSummary> SummariseAsync(RouterRuntime runtime, IReadOnlyDictionary<string, PollResult> polls, bool drained,
        DateTimeOffset started, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var counts = await runtime.State.Journal.CountSinceAsync(started, cancellationToken);
        var rejections = await runtime.State.Journal.SinceAsync(started, JournalSteps.Rejected, 50, cancellationToken);
        var deadLetters = await runtime.State.DeadLetters.ListAsync(new DeadLetterQuery { Since = started, Limit = 50 }, cancellationToken);
        var backlog = await runtime.Transport.GetBacklogAsync(runtime.AllQueues, cancellationToken);
        return new RunSummary(elapsed, drained, polls, counts, rejections, deadLetters, backlog.Deferred);
    }

    private static TimeSpan Duration(string text, string option) =>
        Router.Core.Config.Nodes.ScalarParsers.ParseDuration(text) ?? throw new UsageException($"{option} '{text}' is not a duration such as 500ms, 1s, 10m");
}
