using System.Text;
using System.Text.Json;

namespace Router.Benchmarks.Measuring;

/// <summary>The same 1 KB body and a realistic Rebus-sized header set for every scenario.</summary>
public static class MessagePayload
{
    public static byte[] Body(int bytes) => Encoding.ASCII.GetBytes(Text(bytes));

    public static string Text(int bytes) => new string('x', bytes);

    /// <summary>Headers as Rebus writes them for a sent message, so the raw rows are as wide as the transport's.</summary>
    public static string HeadersJson() => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["rbs2-msg-id"] = Guid.NewGuid().ToString(),
        ["rbs2-intent"] = "p2p",
        ["rbs2-msg-type"] = "Router.Benchmarks.Scenarios.BenchMessage, Router.Benchmarks",
        ["rbs2-content-type"] = "application/json;charset=utf-8",
        ["rbs2-senttime"] = DateTimeOffset.Now.ToString("O"),
        ["rbs2-corr-id"] = Guid.NewGuid().ToString(),
        ["rbs2-corr-seq"] = "0",
    });
}
