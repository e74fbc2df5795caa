using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Router.Sandbox.Control;

namespace Router.Sandbox.Hosting;

/// <summary>Starts the emulators on Kestrel, bound to loopback only.</summary>
public static class SandboxHost
{
    public static async Task<RunningSandbox> StartAsync(SandboxOptions options, CancellationToken cancellationToken)
    {
        var endpoint = LoopbackEndpoint(options.Url);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint);
            kestrel.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.ConfigureHttpJsonOptions(json => SandboxJson.Apply(json.SerializerOptions));
        // Hung requests are released by the stopping token; nothing else needs a long grace period.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();

        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        var state = new SandboxState(options.Emulators ?? SandboxEmulators.CreateAll(), options.Clock, stopping.Token);
        var pipeline = new SandboxRequestPipeline(state);
        app.Use((context, next) => pipeline.InvokeAsync(context, next));
        ControlApi.Map(app, state);
        foreach (var emulator in state.Emulators)
        {
            emulator.Map(app, state);
        }
        app.MapFallback((HttpContext context) => Results.Json(
            new { error = "not_found", message = $"no emulator answers {context.Request.Method} {context.Request.Path}" },
            SandboxJson.Options,
            statusCode: StatusCodes.Status404NotFound));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            stopping.Dispose();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address");
        return new RunningSandbox(app, stopping, new Uri(address.TrimEnd('/') + "/"), state);
    }

    private static IPEndPoint LoopbackEndpoint(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"the sandbox URL must look like http://127.0.0.1:5090, not '{url}'", nameof(url));
        }
        var address = uri.IsLoopback && uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed
            : null;
        if (address is null || !IPAddress.IsLoopback(address))
        {
            // The emulators accept anything and keep credentials in their log: never expose them beyond this machine.
            throw new ArgumentException($"the sandbox listens on loopback only (127.0.0.1, [::1], localhost), not '{uri.Host}'", nameof(url));
        }
        return new IPEndPoint(address, uri.Port);
    }
}
