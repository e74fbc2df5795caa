using System.Text.Json;
using Router.Core.Expressions;

namespace Router.Transformers.Map;

/// <summary>
/// How one output field is produced: a <see cref="Source"/>, optionally once per item of <see cref="Each"/>, then
/// <see cref="Convert"/>; a missing value falls back to <see cref="Default"/>, fails when <see cref="Required"/>, or is
/// left out. With <see cref="Each"/>, <see cref="Default"/> stands in for a missing list, and <see cref="Required"/>
/// asks for the list and for every item's value.
/// </summary>
internal sealed record FieldRule(string Name, ValueSource Source)
{
    public MessageExpression? Each { get; init; }

    public Conversion? Convert { get; init; }

    public bool Required { get; init; }

    public JsonElement? Default { get; init; }
}

/// <summary>Where a field's value comes from.</summary>
internal abstract record ValueSource
{
    /// <summary>How errors name the source: the expression, <c>const</c>, the format text.</summary>
    public abstract string Describe();
}

internal sealed record ExpressionSource(MessageExpression Expression) : ValueSource
{
    public override string Describe() => Expression.Source;
}

internal sealed record ConstantSource(JsonElement Value) : ValueSource
{
    public override string Describe() => "const";
}

internal sealed record FormatSource(FormatTemplate Template) : ValueSource
{
    public override string Describe() => $"format '{Template.Source}'";
}

/// <summary>A nested object built from its own fields, over the same <c>$</c>.</summary>
internal sealed record ObjectSource(IReadOnlyList<FieldRule> Fields) : ValueSource
{
    public override string Describe() => "fields";
}
