using System.Net;
using Microsoft.AspNetCore.Http;

namespace Router.Endpoints.YooKassa.Webhook;

/// <summary>
/// Who really sent a webhook: the direct peer, unless that peer is one of our own reverse proxies, in which case
/// X-Forwarded-For is read from the right, skipping our proxies, and the first other hop is the sender. A header
/// from anyone else is ignored: anybody can write X-Forwarded-For.
/// </summary>
public static class WebhookSource
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    /// <summary>The sender's address, or null when it cannot be told (no peer address, a garbled header from a trusted proxy).</summary>
    public static IPAddress? Resolve(HttpContext context, NetworkList trustedProxies)
    {
        if (context.Connection.RemoteIpAddress is not { } peer)
        {
            return null;
        }
        var sender = NetworkList.Normalize(peer);
        if (!trustedProxies.Contains(sender))
        {
            return sender;
        }
        var hops = context.Request.Headers[ForwardedForHeader]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            if (!TryParseHop(hops[i], out var hop))
            {
                return null;
            }
            sender = NetworkList.Normalize(hop);
            if (!trustedProxies.Contains(sender))
            {
                return sender;
            }
        }
        // Every hop was one of our proxies (or there was no header): the last one is all we know.
        return sender;
    }

    private static bool TryParseHop(string text, out IPAddress address)
    {
        // "[2a02::1]:443" and "1.2.3.4:5678" appear in the wild as well as bare addresses.
        if (IPAddress.TryParse(text, out address!))
        {
            return true;
        }
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            address = endpoint.Address;
            return true;
        }
        return false;
    }
}
