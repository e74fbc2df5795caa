using Router.Core.Config;
using Router.Core.Config.Model;
using Router.Core.Expressions;
using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Core.Routing;

public sealed record CompiledStep(StepDefinition Definition, ITransformer Transformer);

public sealed record CompiledDestination(string EndpointId, MessageExpression? When);

public sealed record CompiledOrdering(MessageExpression Key, MessageExpression Version);

/// <summary>A route's <c>conflicts:</c> with its expressions parsed; they read what the steps produce.</summary>
public sealed record CompiledConflicts(Conflicts.ConflictPolicy Policy, MessageExpression Key, MessageExpression UpdatedAt);

/// <summary>A route's <c>fullSnapshot:</c> with its expressions parsed; they read what the steps produce.</summary>
public sealed record CompiledFullSnapshot(string Entity, MessageExpression When, MessageExpression Key);

/// <summary>A route with its expressions parsed and its transformers built: what the route stage runs.</summary>
public sealed class CompiledRoute
{
    public required RouteDefinition Definition { get; init; }
    public required IReadOnlyList<CompiledStep> Steps { get; init; }
    public required IReadOnlyList<CompiledDestination> Destinations { get; init; }
    public CompiledOrdering? Ordering { get; init; }
    public CompiledConflicts? Conflicts { get; init; }
    public CompiledFullSnapshot? FullSnapshot { get; init; }
    public MessageExpression? MessageId { get; init; }
    public MessageExpression? EntityKey { get; init; }
    public string? MessageType { get; init; }
    public required int Parallelism { get; init; }

    public string Id => Definition.Id;

    public string Queue => QueueNames.ForRoute(Id);

    /// <summary>
    /// Runs the steps in order; each step sees every envelope the previous one produced. Split outputs that kept
    /// their parent's id get <c>#n</c> suffixes so each leg's inbox tells them apart deterministically.
    /// </summary>
    public IReadOnlyList<Envelope> Transform(Envelope input)
    {
        IReadOnlyList<Envelope> current = [input];
        for (var i = 0; i < Steps.Count; i++)
        {
            var context = new TransformContext(Id, i);
            var next = new List<Envelope>(current.Count);
            foreach (var envelope in current)
            {
                next.AddRange(Steps[i].Transformer.Transform(envelope, context));
            }
            current = next;
        }
        return DistinctIds(current);
    }

    private static IReadOnlyList<Envelope> DistinctIds(IReadOnlyList<Envelope> envelopes)
    {
        if (envelopes.Count < 2)
        {
            return envelopes;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Envelope>(envelopes.Count);
        for (var i = 0; i < envelopes.Count; i++)
        {
            var envelope = envelopes[i];
            result.Add(seen.Add(envelope.MessageId) ? envelope : envelope with { MessageId = $"{envelope.MessageId}#{i}" });
        }
        return result;
    }
}

public static class RouteCompiler
{
    /// <summary>
    /// Builds every route of a validated configuration. Problems the validator could not see (a transformer
    /// refusing its options) surface as <see cref="ConfigException"/> with their mark.
    /// </summary>
    public static IReadOnlyDictionary<string, CompiledRoute> Compile(RouterConfig config, TransformerRegistry transformers,
        TransformerCreationContext creationContext)
    {
        var routes = new Dictionary<string, CompiledRoute>(StringComparer.Ordinal);
        foreach (var route in config.Routes)
        {
            routes[route.Id] = Compile(route, config, transformers, creationContext);
        }
        return routes;
    }

    public static CompiledRoute Compile(RouteDefinition route, RouterConfig config, TransformerRegistry transformers,
        TransformerCreationContext creationContext)
    {
        var steps = CompileSteps(route.Steps, transformers, creationContext);
        var destinations = route.To
            .Select(d => new CompiledDestination(d.Endpoint, d.When is null ? null : Expression(d.When, d.Mark)))
            .ToList();
        var source = config.FindEndpoint(route.From);
        return new CompiledRoute
        {
            Definition = route,
            Steps = steps,
            Destinations = destinations,
            Ordering = route.Ordering is { } o ? new CompiledOrdering(RequiredExpression(o.Key, route.Mark), RequiredExpression(o.Version, route.Mark)) : null,
            Conflicts = route.Conflicts is { } c
                ? new CompiledConflicts(c.Policy, RequiredExpression(c.Key, route.Mark), RequiredExpression(c.UpdatedAt, route.Mark))
                : null,
            FullSnapshot = route.FullSnapshot is { } f
                ? new CompiledFullSnapshot(f.Entity, RequiredExpression(f.When, route.Mark), RequiredExpression(f.Key, route.Mark))
                : null,
            MessageId = Expression(route.MessageId ?? source?.MessageId, route.Mark),
            EntityKey = Expression(route.EntityKey ?? source?.EntityKey, route.Mark),
            MessageType = route.MessageType ?? source?.MessageType,
            Parallelism = route.Parallelism ?? config.Router.Defaults.RouteParallelism,
        };
    }

    /// <summary>Builds the transformers of a step list (a route's, or an endpoint's own).</summary>
    public static IReadOnlyList<CompiledStep> CompileSteps(IReadOnlyList<StepDefinition> steps, TransformerRegistry transformers,
        TransformerCreationContext creationContext) =>
        steps.Select(step =>
        {
            var factory = transformers.Find(step.Transformer)
                ?? throw new ConfigException(step.Mark, $"unknown transformer '{step.Transformer}'");
            return new CompiledStep(step, factory.Create(step.Options, creationContext));
        }).ToList();

    private static MessageExpression? Expression(string? source, Config.Nodes.SourceMark mark) =>
        source is null ? null : RequiredExpression(source, mark);

    private static MessageExpression RequiredExpression(string source, Config.Nodes.SourceMark mark)
    {
        try
        {
            return MessageExpression.Compile(source);
        }
        catch (ExpressionSyntaxException e)
        {
            throw new ConfigException(mark, e.Message);
        }
    }
}
