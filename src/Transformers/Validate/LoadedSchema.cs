using Json.Schema;

namespace Router.Transformers.Validate;

/// <summary>A built JSON Schema and how users name it in messages.</summary>
internal sealed record LoadedSchema(JsonSchema Schema, string Name);
