using System.Text.Json;
using Router.Core.Expressions;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.Map;

/// <summary>
/// Builds a new payload from declared fields. The envelope keeps its identity (message id, correlation, headers):
/// only the payload, and when configured the type, entity key and entity version, change.
/// </summary>
internal sealed class MapTransformer(MapDefinition definition) : ITransformer
{
    private readonly FieldMapper mapper = new(definition.KeepNulls);

    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        var mapped = mapper.MapObject(definition.Fields, MessageScope.Of(input), FieldPath.Root);
        var payload = JsonSerializer.SerializeToElement(mapped, RouterJson.Options);

        var output = input with { Payload = payload, Type = definition.Type ?? input.Type };
        var scope = new MessageScope(payload, output);
        if (definition.EntityKey is { } key)
        {
            output = output with { EntityKey = Guard("entityKey", () => key.EvaluateString(scope)) ?? throw GaveNothing("entityKey", key) };
        }
        if (definition.EntityVersion is { } version)
        {
            output = output with { EntityVersion = Guard("entityVersion", () => version.EvaluateVersion(scope)) ?? throw GaveNothing("entityVersion", version) };
        }
        return [output];
    }

    private static T Guard<T>(string option, Func<T> evaluate)
    {
        try
        {
            return evaluate();
        }
        catch (PermanentFailureException e)
        {
            throw new PermanentFailureException(e.Code, $"map: {option}: {e.Message}", e);
        }
    }

    private static PermanentFailureException GaveNothing(string option, MessageExpression expression) =>
        new(MappingErrorCodes.MappingFailed, $"map: {option} {expression.Source} gave nothing for the mapped payload");
}
