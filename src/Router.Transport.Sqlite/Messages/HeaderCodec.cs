using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Transport.Sqlite.Messages;

/// <summary>Headers are stored as a JSON object so that an admin can read them with the sqlite3 shell.</summary>
internal static class HeaderCodec
{
    public static string Encode(Dictionary<string, string> headers) =>
        JsonSerializer.Serialize(headers, HeaderJsonContext.Default.DictionaryStringString);

    public static Dictionary<string, string> Decode(string json) =>
        JsonSerializer.Deserialize(json, HeaderJsonContext.Default.DictionaryStringString) ?? [];
}

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class HeaderJsonContext : JsonSerializerContext;
