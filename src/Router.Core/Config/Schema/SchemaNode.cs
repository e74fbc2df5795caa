namespace Router.Core.Config.Schema;

/// <summary>
/// Describes what a part of the YAML may contain. One description serves three purposes: the validator walks it
/// to report every problem at once, config/router.schema.json is generated from it for editors, and the
/// endpoint and transformer factories declare their options with it. Keep it declarative: no I/O and no
/// callbacks; formats that need a parser (cron, expressions) are named by <see cref="StringFormat"/>.
/// </summary>
public abstract record SchemaNode
{
    public string? Description { get; init; }
}

/// <summary>Known scalar formats. The validator checks each; the JSON Schema gets a pattern or a description.</summary>
public enum StringFormat
{
    None,

    /// <summary>500ms, 30s, 5m, 1h, 1d.</summary>
    Duration,

    /// <summary>A size: 512KB, 10MB.</summary>
    Size,

    /// <summary>A cron expression (5 or 6 fields), checked with Cronos.</summary>
    Cron,

    /// <summary>An expression over the message: a path like <c>$.customer.phone</c> or JavaScript with <c>$</c> as the payload.</summary>
    Expression,

    /// <summary>An absolute URL.</summary>
    Url,

    /// <summary>An id of an endpoint defined under <c>endpoints:</c>.</summary>
    EndpointRef,

    /// <summary>A canonical message type (see MessageTypes).</summary>
    MessageType,

    /// <summary>A file system path, relative to the config file.</summary>
    Path,
}

public sealed record StringSchema : SchemaNode
{
    public StringFormat Format { get; init; }

    /// <summary>If set, only these values are allowed (matched case-sensitively).</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>A .NET regular expression the whole value must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>Shown when <see cref="Pattern"/> does not match, e.g. "an id of letters, digits and dashes".</summary>
    public string? PatternDescription { get; init; }

    /// <summary>True for passwords, keys and tokens: validation never echoes the value and output masks it.</summary>
    public bool Secret { get; init; }

    public object? Default { get; init; }
}

public sealed record IntegerSchema : SchemaNode
{
    public long? Minimum { get; init; }
    public long? Maximum { get; init; }
    public long? Default { get; init; }
}

public sealed record NumberSchema : SchemaNode
{
    public double? Minimum { get; init; }
    public double? Maximum { get; init; }
    public double? Default { get; init; }
}

public sealed record BooleanSchema : SchemaNode
{
    public bool? Default { get; init; }
}

/// <summary>Any YAML value (used for constants in mappings and inline JSON Schemas).</summary>
public sealed record AnySchema : SchemaNode;

public sealed record PropertySchema(string Name, SchemaNode Schema)
{
    public bool Required { get; init; }
}

/// <summary>A mapping with known keys. Unknown keys are errors (with a "did you mean" suggestion).</summary>
public sealed record ObjectSchema : SchemaNode
{
    public ObjectSchema(params PropertySchema[] properties)
    {
        Properties = properties;
    }

    public IReadOnlyList<PropertySchema> Properties { get; init; }

    public PropertySchema? Find(string name) => Properties.FirstOrDefault(p => p.Name == name);

    public ObjectSchema With(params PropertySchema[] more) => this with { Properties = [.. Properties, .. more] };
}

/// <summary>A mapping whose keys are names chosen by the user (endpoint ids, header names) and whose values share one schema.</summary>
public sealed record MapSchema(SchemaNode Values) : SchemaNode
{
    public string? KeyPattern { get; init; }
    public string? KeyPatternDescription { get; init; }
}

public sealed record ArraySchema(SchemaNode Items) : SchemaNode
{
    public int MinItems { get; init; }

    /// <summary>Also accept a single item written without the list brackets.</summary>
    public bool AllowSingle { get; init; }
}

/// <summary>
/// A mapping whose schema depends on the value of <see cref="Discriminator"/> (endpoints by <c>kind</c>).
/// <see cref="Common"/> lists the properties every variant shares.
/// </summary>
public sealed record DiscriminatedSchema(string Discriminator, IReadOnlyDictionary<string, ObjectSchema> Variants) : SchemaNode
{
    public ObjectSchema Common { get; init; } = new();
}

/// <summary>
/// A mapping with exactly one key that names the variant, and that key's value follows the variant's schema:
/// the shape of a route step (<c>- map: {…}</c>).
/// </summary>
public sealed record SingleKeySchema(IReadOnlyDictionary<string, SchemaNode> Variants) : SchemaNode
{
    /// <summary>What the key names, for messages: "transformer".</summary>
    public string KeyNoun { get; init; } = "key";
}

/// <summary>Either of several shapes, chosen by the YAML shape (scalar / mapping / list) of the value.</summary>
public sealed record ShapeChoiceSchema : SchemaNode
{
    public SchemaNode? Scalar { get; init; }
    public SchemaNode? Mapping { get; init; }
    public SchemaNode? Sequence { get; init; }
}
