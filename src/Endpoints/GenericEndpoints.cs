using Router.Core.Endpoints;
using Router.Endpoints.Folder;
using Router.Endpoints.Http;
using Router.Endpoints.RabbitMq;

namespace Router.Endpoints;

/// <summary>The endpoint kinds that are not tied to one partner; partner kinds (YooKassa, CDEK, 1C…) live beside them.</summary>
public static class GenericEndpoints
{
    public static readonly IReadOnlyList<IEndpointKind> All = [new FolderEndpointKind(), new HttpEndpointKind(), new RabbitMqEndpointKind()];
}
