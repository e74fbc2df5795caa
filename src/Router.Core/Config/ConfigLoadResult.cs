using Router.Core.Config.Model;

namespace Router.Core.Config;

/// <summary>What <see cref="ConfigLoader.Load"/> found: the bound configuration when there were no errors, and every diagnostic sorted by place.</summary>
public sealed record ConfigLoadResult(RouterConfig? Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
