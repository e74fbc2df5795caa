using Router.Core.Config.Nodes;
using static Router.Core.Config.ConfigSchemaBuilder;

namespace Router.Core.Config.Validation;

/// <summary>Rules across keys of <c>router:</c> that a per-key schema cannot say: which kinds need a connection.</summary>
internal static class RouterSettingsChecks
{
    private static readonly string[] ServerKinds = ["rabbitmq", "postgresql"];

    public static void Run(ConfigNode root, DiagnosticBag diagnostics)
    {
        if (root is not ConfigMapping file || file[RouterKey] is not ConfigMapping router)
        {
            return;
        }
        foreach (var section in new[] { "transport", "storage" })
        {
            if (router[section] is not ConfigMapping settings || settings["kind"] is not ConfigScalar { Value: { } kind })
            {
                continue;
            }
            var hasConnection = settings["connection"] is ConfigScalar { IsNull: false };
            if (ServerKinds.Contains(kind) && !hasConnection)
            {
                diagnostics.Error(settings.Mark, $"{section} kind '{kind}' needs 'connection' (e.g. connection: ${{env:ROUTER_{kind.ToUpperInvariant()}}})");
            }
            else if (!ServerKinds.Contains(kind) && hasConnection)
            {
                diagnostics.Error(settings.KeyNode("connection")!.Mark, $"'connection' is for rabbitmq and postgresql; {section} kind '{kind}' does not use it");
            }
        }
    }
}
