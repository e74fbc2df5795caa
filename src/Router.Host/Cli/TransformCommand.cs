using System.CommandLine;
using System.Text.Json;
using Router.Core.Config;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;
using Router.Host.Composition;

namespace Router.Host.Cli;

/// <summary>
/// <c>router transform --transformer NAME [--option k=v]… --input FILE</c>: runs one transformer on a file and
/// prints the envelopes it produces as JSON lines. Option values are YAML, so <c>fields={number: $.no}</c> works.
/// <c>--route R --step N</c> runs a step exactly as configured instead.
/// </summary>
public sealed class TransformCommand : ICommandDefinition
{
    private static readonly Option<string?> Transformer = new("--transformer", "-t") { Description = "Transformer name (map, filter, …)" };
    private static readonly Option<string[]> Options = new("--option", "-o") { Description = "An option as key=value (value in YAML); repeatable; dotted keys nest", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> Route = new("--route") { Description = "Use a configured route's step instead of --transformer" };
    private static readonly Option<int?> Step = new("--step") { Description = "Step number (1-based) of --route; all steps when omitted" };
    private static readonly Option<string> Input = new("--input", "-i") { Description = "Input file (JSON payload or envelope)", Required = true };
    private static readonly Option<string?> Type = new("--type") { Description = "Message type for a bare payload (default: the route's, else file.received)" };

    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        var command = new Command("transform", "Run one transformer on an input file and print the resulting envelopes as JSON lines")
        {
            Transformer, Options, Route, Step, Input, Type,
        };
        command.SetAction(wrap(Run));
        return command;
    }

    private static Task<int> Run(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.Parse;
        var transformerName = parse.GetValue(Transformer);
        var routeId = parse.GetValue(Route);
        if ((transformerName is null) == (routeId is null))
        {
            throw new UsageException("give either --transformer NAME or --route ID");
        }
        IReadOnlyList<Envelope> outputs;
        if (routeId is not null)
        {
            var config = context.LoadConfig();
            var topology = RouterRuntimeFactory.BuildTopology(config, context.Logger(config, quietByDefault: true), context.FileSystem, context.Clock);
            var route = topology.Routes.GetValueOrDefault(routeId) ?? throw new UsageException($"no route '{routeId}' in {context.ConfigPath}");
            var input = InputFile.Read(parse.GetValue(Input)!, config.Router.Limits.MaxMessageSize);
            var envelope = input.Envelope ?? Core.Routing.InboundHandOff.BuildEnvelope(route, route.Definition.From, input.Message with { Type = input.Message.Type ?? parse.GetValue(Type) }, context.Clock.GetUtcNow());
            outputs = Apply(() => parse.GetValue(Step) is { } step
                ? (step >= 1 && step <= route.Steps.Count
                    ? route.Steps[step - 1].Transformer.Transform(envelope, new TransformContext(route.Id, step - 1))
                    : throw new UsageException($"route '{routeId}' has {route.Steps.Count} step(s); --step {step} is out of range"))
                : route.Transform(envelope));
        }
        else
        {
            var factory = BuiltInComponents.Transformers().Find(transformerName!)
                ?? throw new UsageException($"unknown transformer '{transformerName}'; known: {string.Join(", ", BuiltInComponents.Transformers().All.Select(f => f.Name))}");
            var optionsFile = Path.Combine(Path.GetTempPath(), $"router-transform-{Guid.NewGuid():N}.yaml");
            ITransformer? transformer;
            IReadOnlyList<ConfigDiagnostic> problems;
            try
            {
                File.WriteAllText(optionsFile, OptionsYaml(parse.GetValue(Options) ?? []));
                (transformer, problems) = StandaloneStep.Build(factory, optionsFile, context.FileSystem, Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
            }
            finally
            {
                File.Delete(optionsFile);
            }
            foreach (var problem in problems)
            {
                context.Error.WriteLine(problem.ToString().Replace(optionsFile, "--option", StringComparison.Ordinal));
            }
            if (transformer is null)
            {
                return Task.FromResult(ExitCodes.InvalidInput);
            }
            var input = InputFile.Read(parse.GetValue(Input)!, 16 * 1024 * 1024);
            var envelope = input.Envelope ?? new Envelope
            {
                MessageId = input.Message.FallbackMessageId,
                Type = parse.GetValue(Type) ?? MessageTypes.FileReceived,
                Source = "cli",
                OccurredAt = context.Clock.GetUtcNow(),
                Headers = input.Message.Headers,
                Payload = input.Message.Payload,
            };
            outputs = Apply(() => transformer.Transform(envelope, TransformContext.Standalone));
        }
        foreach (var output in outputs)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(output, RouterJson.Options));
        }
        return Task.FromResult(ExitCodes.Success);
    }

    private static IReadOnlyList<Envelope> Apply(Func<IReadOnlyList<Envelope>> transform)
    {
        try
        {
            return transform();
        }
        catch (PermanentFailureException e)
        {
            throw new UsageException($"{e.Code}: {e.Message}");
        }
    }

    /// <summary>Turns <c>a.b=value</c> arguments into the YAML of the options mapping a route step would have had.</summary>
    private static string OptionsYaml(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            return "{}\n";
        }
        var yaml = new System.Text.StringBuilder();
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--option '{argument}' is not key=value");
            }
            var path = argument[..equals].Split('.');
            var value = argument[(equals + 1)..];
            for (var i = 0; i < path.Length; i++)
            {
                yaml.Append(new string(' ', i * 2)).Append(path[i]).Append(':');
                yaml.Append(i == path.Length - 1 ? " " + value + "\n" : "\n");
            }
        }
        return yaml.ToString();
    }
}
