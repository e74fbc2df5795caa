using Router.Core.Transformers;
using Router.Transformers.Filter;
using Router.Transformers.Map;
using Router.Transformers.SetHeader;
using Router.Transformers.Validate;

namespace Router.Transformers;

/// <summary>The transformers that work on any message, whatever system it came from; the host registers them.</summary>
public static class GenericTransformers
{
    public static IReadOnlyList<ITransformerFactory> All { get; } =
    [
        new MapTransformerFactory(),
        new FilterTransformerFactory(),
        new SetHeaderTransformerFactory(),
        new ValidateTransformerFactory(),
    ];
}
