using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Config.Secrets;
using Router.Core.Config.Yaml;
using Router.Core.Expressions;
using Router.Core.Messages;
using static Router.Core.Config.Validation.ValueText;

namespace Router.Core.Config.Validation;

/// <summary>
/// Walks a <see cref="SchemaNode"/> over a <see cref="ConfigNode"/> and reports every mismatch, so one run shows
/// all problems. Along the way it flags values that the schema or their key name makes secret.
/// </summary>
internal sealed class SchemaValidator(
    DiagnosticBag diagnostics,
    IReadOnlyCollection<string> endpointIds,
    IReadOnlyDictionary<ConfigScalar, ScalarOrigin> scalars,
    SecretRedactor redactor)
{
    private const int MaxListedKeys = 12;

    /// <summary>Scalars left unchecked because a reference in them failed (already reported): the node is not usable.</summary>
    public int SkippedUnresolved { get; private set; }

    /// <summary>True when <paramref name="node"/> fits <paramref name="schema"/>; reports nothing.</summary>
    public static bool IsValid(SchemaNode schema, ConfigNode node, IReadOnlyCollection<string> endpointIds, IReadOnlyDictionary<ConfigScalar, ScalarOrigin> scalars)
    {
        var quiet = new DiagnosticBag();
        var validator = new SchemaValidator(quiet, endpointIds, scalars, new SecretRedactor());
        validator.Validate(schema, node, "options", secret: false);
        return quiet.ErrorCount == 0 && validator.SkippedUnresolved == 0;
    }

    /// <param name="label">How messages name the node: "'parallelism'", "item 2 of 'to'", "the file".</param>
    /// <param name="secret">The node sits under a secret key: never echo it, and flag its scalars.</param>
    public void Validate(SchemaNode schema, ConfigNode node, string label, bool secret)
    {
        switch (schema)
        {
            case AnySchema:
                FlagSecretsBelow(node, secret);
                break;
            case StringSchema text:
                ValidateString(text, node, label, secret || text.Secret);
                break;
            case IntegerSchema integer:
                ValidateInteger(integer, node, label, secret);
                break;
            case NumberSchema number:
                ValidateNumber(number, node, label, secret);
                break;
            case BooleanSchema:
                ValidateBoolean(node, label, secret);
                break;
            case ObjectSchema obj:
                ValidateObject(obj, node, label, secret, skipKey: null, ignoreUnknownKeys: false);
                break;
            case MapSchema map:
                ValidateMap(map, node, label, secret);
                break;
            case ArraySchema array:
                ValidateArray(array, node, label, secret);
                break;
            case DiscriminatedSchema discriminated:
                ValidateDiscriminated(discriminated, node, label, secret);
                break;
            case SingleKeySchema singleKey:
                ValidateSingleKey(singleKey, node, label, secret);
                break;
            case ShapeChoiceSchema choice:
                ValidateShapeChoice(choice, node, label, secret);
                break;
            default:
                throw new NotSupportedException($"schema node {schema.GetType().Name} is not known to the validator");
        }
    }

    private void Error(SourceMark mark, string message) => diagnostics.Error(mark, message);

    private void WrongShape(ConfigNode node, string label, string expected, bool secret) =>
        Error(node.Mark, $"{label} must be {expected}, not {Describe(node, secret)}");

    /// <summary>The scalar to check, or null when the node is of another shape (reported) or unusable (already reported).</summary>
    private ConfigScalar? ExpectScalar(ConfigNode node, string label, string expected, bool secret)
    {
        if (node is not ConfigScalar { IsNull: false } scalar)
        {
            WrongShape(node, label, expected, secret);
            return null;
        }
        if (secret && !scalar.IsSecret)
        {
            scalar.MarkSecret();
            redactor.Add(scalar.Value);
        }
        if (scalars.TryGetValue(scalar, out var origin) && origin.HasUnresolvedReference)
        {
            SkippedUnresolved++;
            return null;
        }
        return scalar;
    }

    private void FlagSecretsBelow(ConfigNode node, bool secret)
    {
        switch (node)
        {
            case ConfigScalar { IsNull: false, IsSecret: false } scalar when secret:
                scalar.MarkSecret();
                redactor.Add(scalar.Value);
                break;
            case ConfigMapping mapping:
                foreach (var (key, value) in mapping.Entries)
                {
                    FlagSecretsBelow(value, secret || SecretKeys.IsSecretLike(key.Value ?? ""));
                }
                break;
            case ConfigSequence sequence:
                foreach (var item in sequence.Items)
                {
                    FlagSecretsBelow(item, secret);
                }
                break;
        }
    }

    // ------------------------------------------------------------------ scalars

    private void ValidateString(StringSchema schema, ConfigNode node, string label, bool secret)
    {
        if (ExpectScalar(node, label, "text", secret) is not { } scalar)
        {
            return;
        }
        var value = scalar.Value!;
        var shown = Describe(scalar, secret);
        if (schema.Enum is { } allowed && !allowed.Contains(value, StringComparer.Ordinal))
        {
            var hint = secret ? "" : Suggestions.DidYouMean(value, allowed);
            Error(scalar.Mark, $"{label} must be one of {List(allowed)}, not {shown}{hint}");
            return;
        }
        if (schema.Pattern is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            Error(scalar.Mark, $"{label} must be {schema.PatternDescription ?? $"text matching {pattern}"}, not {shown}");
            return;
        }
        switch (schema.Format)
        {
            case StringFormat.Duration when ScalarParsers.ParseDuration(value) is null:
                Error(scalar.Mark, $"{label} must be a duration such as 500ms, 30s, 5m, 1h or 1d, not {shown}");
                break;
            case StringFormat.Size when ScalarParsers.ParseSize(value) is null:
                Error(scalar.Mark, $"{label} must be a size such as 512KB or 10MB, not {shown}");
                break;
            case StringFormat.Cron:
                CheckCron(scalar, value, label);
                break;
            case StringFormat.Expression:
                CheckExpression(scalar, value, label, secret);
                break;
            case StringFormat.Url when !IsAbsoluteUrl(value):
                Error(scalar.Mark, $"{label} must be an absolute URL such as http://host:port/path, not {shown}");
                break;
            case StringFormat.EndpointRef when !endpointIds.Contains(value):
                var known = endpointIds.Count == 0 ? " (no endpoints are defined)" : secret ? "" : Suggestions.DidYouMean(value, endpointIds);
                Error(scalar.Mark, $"{label} names an unknown endpoint {shown}{known}");
                break;
            case StringFormat.MessageType when !MessageTypes.IsKnown(value):
                var types = MessageTypes.All.Order(StringComparer.Ordinal).ToList();
                var closest = secret ? "" : Suggestions.DidYouMean(value, types);
                Error(scalar.Mark, $"{label} names an unknown message type {shown}{(closest.Length > 0 ? closest : $" (known: {List(types)})")}");
                break;
            case StringFormat.Path when value.Trim().Length == 0 || value.Contains('\0'):
                Error(scalar.Mark, $"{label} must be a file or folder path");
                break;
        }
    }

    private static bool IsAbsoluteUrl(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.IsFile || uri.Host.Length > 0);

    private void CheckCron(ConfigScalar scalar, string value, string label)
    {
        var fields = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var macro = value.TrimStart().StartsWith('@');
        if (!macro && fields is not (5 or 6))
        {
            Error(scalar.Mark, $"{label} must be a cron expression of 5 fields (minute hour day month weekday) or 6 (seconds first), not {fields} field{(fields == 1 ? "" : "s")}");
            return;
        }
        try
        {
            CronExpression.Parse(value.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            Error(scalar.Mark, $"{label} is not a valid cron expression: {e.Message}");
        }
    }

    /// <summary>Points at the offending column inside the expression when the file's columns map onto it one to one.</summary>
    private void CheckExpression(ConfigScalar scalar, string value, string label, bool secret)
    {
        if (MessageExpression.TryCompile(value, out _, out var error))
        {
            return;
        }
        var reason = error!.Reason;
        var mark = scalar.Mark;
        if (error.Line == 1 && scalars.TryGetValue(scalar, out var origin) && origin.ColumnsExact)
        {
            mark = mark with { Column = origin.ContentColumn + error.Column - 1 };
        }
        else
        {
            reason += $" (line {error.Line}, column {error.Column} of the expression)";
        }
        Error(mark, secret ? $"{label} is not a valid expression" : $"{label} is not a valid expression: {reason}");
    }

    private void ValidateInteger(IntegerSchema schema, ConfigNode node, string label, bool secret)
    {
        if (ExpectScalar(node, label, "an integer", secret) is not { } scalar)
        {
            return;
        }
        if (scalar.IsQuoted && !scalar.IsSecret)
        {
            Error(scalar.Mark, $"{label} must be an integer, not text (remove the quotes)");
            return;
        }
        if (!long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            WrongShape(scalar, label, "an integer", secret);
            return;
        }
        CheckRange(scalar, label, value, schema.Minimum, schema.Maximum, secret);
    }

    private void ValidateNumber(NumberSchema schema, ConfigNode node, string label, bool secret)
    {
        if (ExpectScalar(node, label, "a number", secret) is not { } scalar)
        {
            return;
        }
        if (scalar.IsQuoted && !scalar.IsSecret)
        {
            Error(scalar.Mark, $"{label} must be a number, not text (remove the quotes)");
            return;
        }
        if (!double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            WrongShape(scalar, label, "a number", secret);
            return;
        }
        CheckRange(scalar, label, value, schema.Minimum, schema.Maximum, secret);
    }

    private void CheckRange<T>(ConfigScalar scalar, string label, T value, T? minimum, T? maximum, bool secret)
        where T : struct, IComparable<T>, IFormattable
    {
        var tooSmall = minimum is { } min && value.CompareTo(min) < 0;
        var tooBig = maximum is { } max && value.CompareTo(max) > 0;
        if (!tooSmall && !tooBig)
        {
            return;
        }
        var range = (minimum, maximum) switch
        {
            ({ } lo, { } hi) => $"between {Format(lo)} and {Format(hi)}",
            ({ } lo, null) => $"at least {Format(lo)}",
            (null, { } hi) => $"at most {Format(hi)}",
            _ => "",
        };
        Error(scalar.Mark, $"{label} must be {range}, not {Describe(scalar, secret)}");

        static string Format(T n) => n.ToString(null, CultureInfo.InvariantCulture);
    }

    private void ValidateBoolean(ConfigNode node, string label, bool secret)
    {
        if (ExpectScalar(node, label, "true or false", secret) is not { } scalar)
        {
            return;
        }
        if (scalar.IsQuoted && !scalar.IsSecret)
        {
            Error(scalar.Mark, $"{label} must be true or false, not text (remove the quotes)");
        }
        else if (ScalarParsers.ParseBool(scalar.Value!) is null)
        {
            WrongShape(scalar, label, "true or false", secret);
        }
    }

    // ------------------------------------------------------------------ collections

    private void ValidateObject(ObjectSchema schema, ConfigNode node, string label, bool secret, string? skipKey, bool ignoreUnknownKeys)
    {
        if (node is not ConfigMapping mapping)
        {
            WrongShape(node, label, "a mapping", secret);
            return;
        }
        foreach (var (key, value) in mapping.Entries)
        {
            var name = key.Value ?? "";
            if (name == skipKey)
            {
                continue;
            }
            var property = schema.Find(name);
            if (property is null)
            {
                if (!ignoreUnknownKeys)
                {
                    Error(key.Mark, $"unknown key {Quote(name)} in {label}{UnknownKeyHint(name, schema)}");
                }
                continue;
            }
            if (value is ConfigScalar { IsNull: true })
            {
                // An empty optional value means "not set", as in most YAML tools.
                if (property.Required)
                {
                    Error(value.Mark, $"{Quote(name)} must not be empty");
                }
                continue;
            }
            Validate(property.Schema, value, Quote(name), secret || SecretKeys.IsSecretLike(name));
        }
        foreach (var property in schema.Properties)
        {
            if (property.Required && property.Name != skipKey && !mapping.Contains(property.Name))
            {
                Error(mapping.Mark, $"missing required key {Quote(property.Name)} in {label}");
            }
        }
    }

    private static string UnknownKeyHint(string name, ObjectSchema schema)
    {
        var names = schema.Properties.Select(p => p.Name).ToList();
        var suggestion = Suggestions.DidYouMean(name, names);
        return suggestion.Length > 0 ? suggestion
            : names.Count == 0 ? " (it takes no keys)"
            : names.Count <= MaxListedKeys ? $" (expected one of: {List(names)})"
            : "";
    }

    private void ValidateMap(MapSchema schema, ConfigNode node, string label, bool secret)
    {
        if (node is not ConfigMapping mapping)
        {
            WrongShape(node, label, "a mapping", secret);
            return;
        }
        foreach (var (key, value) in mapping.Entries)
        {
            var name = key.Value ?? "";
            if (schema.KeyPattern is { } pattern && !Regex.IsMatch(name, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                Error(key.Mark, $"key {Quote(name)} in {label} must be {schema.KeyPatternDescription ?? $"text matching {pattern}"}");
            }
            Validate(schema.Values, value, Quote(name), secret || SecretKeys.IsSecretLike(name));
        }
    }

    private void ValidateArray(ArraySchema schema, ConfigNode node, string label, bool secret)
    {
        switch (node)
        {
            case ConfigSequence sequence:
                if (sequence.Items.Count < schema.MinItems)
                {
                    Error(sequence.Mark, $"{label} must have at least {schema.MinItems} item{(schema.MinItems == 1 ? "" : "s")}");
                }
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    Validate(schema.Items, sequence.Items[i], $"item {i + 1} of {label}", secret);
                }
                break;
            case ConfigScalar { IsNull: false } or ConfigMapping when schema.AllowSingle:
                Validate(schema.Items, node, label, secret);
                break;
            default:
                WrongShape(node, label, Expected(schema), secret);
                break;
        }
    }

    private void ValidateDiscriminated(DiscriminatedSchema schema, ConfigNode node, string label, bool secret)
    {
        if (node is not ConfigMapping mapping)
        {
            WrongShape(node, label, "a mapping", secret);
            return;
        }
        var key = schema.Discriminator;
        var names = schema.Variants.Keys.ToList();
        ObjectSchema? variant = null;
        switch (mapping[key])
        {
            case null or ConfigScalar { IsNull: true }:
                Error(mapping.Mark, $"missing required key {Quote(key)} in {label}{(names.Count > 0 ? $" (one of: {List(names)})" : "")}");
                break;
            case ConfigScalar { Value: { } name } scalar when !schema.Variants.TryGetValue(name, out variant):
                var hint = Suggestions.DidYouMean(name, names);
                Error(scalar.Mark, $"unknown {key} {Shown(name)} in {label}{(hint.Length > 0 ? hint : $" (known: {List(names)})")}");
                break;
            case ConfigScalar:
                break;
            case var other:
                WrongShape(other, Quote(key), "text", secret);
                break;
        }
        if (variant is null)
        {
            // Without a known variant its keys are unknown too: check the shared keys only, and do not call the rest unknown.
            ValidateObject(schema.Common, mapping, label, secret, key, ignoreUnknownKeys: true);
            return;
        }
        ValidateObject(Merge(schema.Common, variant), mapping, label, secret, key, ignoreUnknownKeys: false);
    }

    /// <summary>The shared properties first, then the variant's own; the shared definition wins a clash.</summary>
    internal static ObjectSchema Merge(ObjectSchema common, ObjectSchema variant) =>
        variant with { Properties = [.. common.Properties, .. variant.Properties.Where(p => common.Find(p.Name) is null)] };

    private void ValidateSingleKey(SingleKeySchema schema, ConfigNode node, string label, bool secret)
    {
        if (node is not ConfigMapping mapping)
        {
            WrongShape(node, label, $"a mapping with one key, the {schema.KeyNoun} (- name: {{…}})", secret);
            return;
        }
        if (mapping.Entries.Count != 1)
        {
            var found = mapping.Entries.Count == 0 ? "none" : $"{mapping.Entries.Count}: {List(mapping.Keys.Select(Quote))}";
            Error(mapping.Mark, $"{label} must have exactly one key, the {schema.KeyNoun}; found {found}");
            return;
        }
        var (key, value) = mapping.Entries[0];
        var name = key.Value ?? "";
        if (!schema.Variants.TryGetValue(name, out var options))
        {
            var hint = Suggestions.DidYouMean(name, schema.Variants.Keys);
            Error(key.Mark, $"unknown {schema.KeyNoun} {Quote(name)}{(hint.Length > 0 ? hint : $" (known: {List(schema.Variants.Keys)})")}");
            return;
        }
        Validate(options, StepOptions.Of(key, value, options), Quote(name), secret);
    }

    private void ValidateShapeChoice(ShapeChoiceSchema schema, ConfigNode node, string label, bool secret)
    {
        var chosen = node switch
        {
            ConfigMapping => schema.Mapping,
            ConfigSequence => schema.Sequence,
            _ => schema.Scalar,
        };
        if (chosen is null)
        {
            WrongShape(node, label, Expected(schema), secret);
            return;
        }
        Validate(chosen, node, label, secret);
    }
}
