using System.Globalization;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Router.Core.Failures;

namespace Router.Core.Expressions;

/// <summary>Turns what a script returned into JSON, as <c>JSON.stringify</c> would, with numbers cleaned of binary noise.</summary>
internal static class JsResultConverter
{
    // 2^53: above it a double no longer holds every integer, so it is not written as one.
    private const double MaxSafeInteger = 9_007_199_254_740_992d;

    // JavaScript dates reach the year 275760; .NET's stop at 9999.
    private static readonly double MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly double MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static JsonNode? ToNode(JsValue value, string source) => ToNode(value, source, 0);

    /// <summary>
    /// JavaScript numbers are doubles, so <c>0.1 + 0.2</c> is 0.30000000000000004 and <c>19.99 * 3</c> is
    /// 59.970000000000006. Rounding to 15 significant digits, the precision a double guarantees, gives the
    /// 0.3 and 59.97 that every reader of a price expects; integers up to 2^53 are written as integers.
    /// </summary>
    public static JsonNode? FromNumber(double number)
    {
        if (double.IsNaN(number) || double.IsInfinity(number))
        {
            return null;
        }
        if (Math.Abs(number) <= MaxSafeInteger && Math.Floor(number) == number)
        {
            return JsonValue.Create((long)number);
        }
        var rounded = double.Parse(number.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return JsonValue.Create(rounded);
    }

    private static JsonNode? ToNode(JsValue value, string source, int depth)
    {
        if (depth > ExpressionLimits.MaxResultDepth)
        {
            throw new PermanentFailureException(ErrorCodes.ExpressionFailed,
                $"expression '{source}' returned a value nested deeper than {ExpressionLimits.MaxResultDepth} levels (does it refer to itself?)");
        }
        if (value.IsNull() || value.IsUndefined())
        {
            return null;
        }
        if (value.IsBoolean())
        {
            return JsonValue.Create(value.AsBoolean());
        }
        if (value.IsNumber())
        {
            return FromNumber(value.AsNumber());
        }
        if (value.IsString())
        {
            return JsonValue.Create(value.AsString());
        }
        return value switch
        {
            JsBigInt bigInt => JsonNode.Parse(bigInt.ToString()),
            JsDate date => FromDate(date),
            JsArray array => FromArray(array, source, depth),
            Jint.Native.Function.Function or JsSymbol => null,
            Jint.Native.Object.ObjectInstance obj => FromObject(obj, source, depth),
            _ => JsonValue.Create(value.ToString()),
        };
    }

    private static JsonArray FromArray(JsArray array, string source, int depth)
    {
        var list = new JsonArray();
        for (uint i = 0; i < array.Length; i++)
        {
            list.Add(ToNode(array.Get(i), source, depth + 1));
        }
        return list;
    }

    private static JsonObject FromObject(Jint.Native.Object.ObjectInstance obj, string source, int depth)
    {
        var result = new JsonObject();
        foreach (var (key, descriptor) in obj.GetOwnProperties())
        {
            var value = obj.Get(key);
            // As JSON.stringify: properties holding undefined, functions or symbols are left out.
            if (key.IsString() && descriptor.Enumerable && !value.IsUndefined() && value is not (Jint.Native.Function.Function or JsSymbol))
            {
                result[key.AsString()] = ToNode(value, source, depth + 1);
            }
        }
        return result;
    }

    private static JsonNode? FromDate(JsDate date)
    {
        if (double.IsNaN(date.DateValue) || date.DateValue < MinUnixMilliseconds || date.DateValue > MaxUnixMilliseconds)
        {
            return null;
        }
        // The shape of Date.prototype.toISOString, so a date built in a script reads the same as one written in JSON.
        var at = DateTimeOffset.FromUnixTimeMilliseconds((long)date.DateValue);
        return JsonValue.Create(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}
