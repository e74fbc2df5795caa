using System.CommandLine;
using Router.Core.Config;
using Router.Host.Composition;

namespace Router.Host.Cli;

/// <summary><c>router schema</c>: the JSON Schema of the YAML, generated from the same description the validator uses.</summary>
public sealed class SchemaCommand : ICommandDefinition
{
    public Command Create(Func<Func<CliContext, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> wrap)
    {
        var command = new Command("schema", "Print the JSON Schema of the router YAML (config/router.schema.json is this output)");
        command.SetAction(wrap(Run));
        return command;
    }

    public static string Generate() =>
        JsonSchemaGenerator.Generate(ConfigSchemaBuilder.Build(BuiltInComponents.EndpointKinds(), BuiltInComponents.Transformers()), "Router configuration");

    private static Task<int> Run(CliContext context, CancellationToken cancellationToken)
    {
        context.Out.Write(Generate());
        return Task.FromResult(ExitCodes.Success);
    }
}
