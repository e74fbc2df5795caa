using System.Globalization;
using Json.Schema;
using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;

namespace Router.Transformers.Validate;

/// <summary>Passes the message on unchanged when its payload matches the schema; otherwise fails it as a schema violation.</summary>
internal sealed class ValidateTransformer(LoadedSchema schema) : ITransformer
{
    // Built once and never changed: evaluations of one step run in parallel on the route's threads.
    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.List,
        // A schema that says "format: email" or "format: date" means it; by default 2020-12 only annotates.
        RequireFormatValidation = true,
        // English messages, whatever the machine's culture: dead letters are grouped and compared by text.
        Culture = CultureInfo.InvariantCulture,
    };

    public IReadOnlyList<Envelope> Transform(Envelope input, TransformContext context)
    {
        var results = schema.Schema.Evaluate(input.Payload, Options);
        if (!results.IsValid)
        {
            throw new PermanentFailureException(ErrorCodes.SchemaViolation, SchemaViolationReport.Describe(results, input.Payload, schema));
        }
        return [input];
    }
}
