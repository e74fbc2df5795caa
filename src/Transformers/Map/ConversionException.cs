namespace Router.Transformers.Map;

/// <summary>A value that a conversion cannot take; the mapper adds the field, the expression and the value.</summary>
internal sealed class ConversionException(string reason) : Exception(reason);
