using Router.Core.Endpoints;
using Router.Endpoints.OneC.Ftp;

namespace Router.Endpoints.OneC;

/// <summary>The endpoint kinds that talk to 1C:Управление торговлей.</summary>
public static class OneCEndpoints
{
    public static readonly IReadOnlyList<IEndpointKind> All = [new OneCFtpEndpointKind()];
}
