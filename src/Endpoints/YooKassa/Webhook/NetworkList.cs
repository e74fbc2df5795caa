using System.Net;
using System.Net.Sockets;

namespace Router.Endpoints.YooKassa.Webhook;

/// <summary>A list of networks (CIDR, or single addresses) and the membership test the webhook's guard needs.</summary>
public sealed class NetworkList
{
    private readonly IReadOnlyList<IPNetwork> networks;

    public NetworkList(IReadOnlyList<IPNetwork> networks)
    {
        this.networks = networks;
    }

    public static readonly NetworkList None = new([]);

    public IReadOnlyList<IPNetwork> Networks => networks;

    /// <summary>Parses <c>185.71.76.0/27</c>, <c>77.75.156.11</c> or <c>2a02:5180:0:1509::/64</c>; null when it is none of these.</summary>
    public static IPNetwork? TryParseNetwork(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.Contains('/'))
        {
            return IPAddress.TryParse(trimmed, out var address)
                ? new IPNetwork(Normalize(address), address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
                : null;
        }
        return IPNetwork.TryParse(trimmed, out var network) ? network : null;
    }

    public bool Contains(IPAddress address)
    {
        var normalized = Normalize(address);
        return networks.Any(n => n.Contains(normalized));
    }

    /// <summary>Kestrel on a dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the lists hold plain IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public override string ToString() => string.Join(", ", networks);
}
