using Router.Core.Config.Model;
using Router.Endpoints.Cdek;
using Router.Endpoints.YooKassa;
using Router.Sandbox.Cdek;
using Router.Sandbox.Hosting;
using Router.Sandbox.YooKassa;

namespace Router.Host.Cli;

/// <summary>
/// For <c>run --sandbox</c>: the in-process partners call back the router they run with, as the real ones call the
/// URL set in their cabinets: YooKassa's notifications and CDEK's ORDER_STATUS webhooks go to this router's
/// listener, and the YooKassa sandbox plays the payer (pays each payment shortly after it is created) unless told
/// otherwise, so an order's journey completes without a person at a payment page.
/// </summary>
internal static class SandboxCallbacks
{
    /// <summary>How long the sandbox's payer takes to pay, unless ROUTER_SANDBOX_YOOKASSA_AUTOPAY_MS says.</summary>
    public const int PayerDelayMs = 300;

    public static void PointAt(RunningSandbox sandbox, RouterConfig config, Uri listener, Serilog.ILogger logger)
    {
        foreach (var endpoint in config.Endpoints)
        {
            switch (endpoint.Kind)
            {
                case YooKassaEndpointKind.Name when sandbox.State.Find(YooKassaEmulator.EmulatorName) is YooKassaEmulator yookassa:
                    var payments = new Uri(listener, YooKassaOptions.Read(endpoint.Options).Webhook.Path).ToString();
                    yookassa.Configure(yookassa.Settings with { WebhookUrl = payments, AutoPayAfterMs = yookassa.Settings.AutoPayAfterMs ?? PayerDelayMs });
                    logger.Information("Sandbox YooKassa notifies {Url} and pays each payment after {Delay} ms", payments, yookassa.Settings.AutoPayAfterMs);
                    break;
                case CdekEndpointKind.Name when sandbox.State.Find(CdekEmulator.EmulatorName) is CdekEmulator cdek
                                               && CdekOptions.Read(endpoint.Options) is { WebhookSecret: { } secret } options:
                    cdek.Settings = cdek.Settings with { WebhookUrl = new Uri(listener, options.WebhookPath + "/" + secret).ToString() };
                    logger.Information("Sandbox CDEK sends ORDER_STATUS webhooks to {Path}/***", options.WebhookPath);
                    break;
            }
        }
    }
}
