using Router.Core.Endpoints;
using Router.Core.Transformers;

namespace Router.Host.Composition;

/// <summary>Every endpoint kind and transformer this build of the router knows: the registries config loading and the engine share.</summary>
public static class BuiltInComponents
{
    public static EndpointKindRegistry EndpointKinds() =>
        new([.. Router.Endpoints.GenericEndpoints.All, .. Router.Endpoints.OneC.OneCEndpoints.All, new Router.Endpoints.OneCHttp.OneCHttpEndpointKind(),
            new Router.Endpoints.YooKassa.YooKassaEndpointKind(),
            new Router.Endpoints.Cdek.CdekEndpointKind(),
            new Router.Endpoints.Boxberry.BoxberryEndpointKind(),
            new Router.Endpoints.Sms.SmsEndpointKind(),
            new Router.Endpoints.Email.EmailEndpointKind(),
            new Router.Endpoints.OrderSaga.OrderSagaEndpointKind(),
        ]);

    public static TransformerRegistry Transformers() =>
        new([.. Router.Transformers.GenericTransformers.All, .. Router.Transformers.CommerceML.CommerceMLTransformers.All,
            .. Router.Transformers.Orders.OrderTransformers.All]);
}
