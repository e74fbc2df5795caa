using System.Text.Json;
using Router.Core.Stores;

namespace Router.Endpoints.Cdek;

/// <summary>
/// What the endpoint remembers about one CDEK order in the partner record store, keyed by the shop's order number
/// (CDEK's im_number): its uuid once known, the last status reported, whether it is still worth polling.
/// </summary>
public sealed record CdekOrderRecord
{
    /// <summary>A create was about to be sent: a redelivery must look the order up before sending again.</summary>
    public const string Claimed = "claimed";

    /// <summary>CDEK accepted the create; validation was still running.</summary>
    public const string Accepted = "accepted";

    /// <summary>Registered; polled until final.</summary>
    public const string Tracking = "tracking";

    public const string Invalid = "invalid";
    public const string Final = "final";

    public string? Uuid { get; init; }
    public string? CdekNumber { get; init; }
    public string? LastCode { get; init; }

    public static CdekOrderRecord From(PartnerRecord? record)
    {
        if (record is null || string.IsNullOrWhiteSpace(record.DataJson))
        {
            return new CdekOrderRecord();
        }
        try
        {
            return JsonSerializer.Deserialize<CdekOrderRecord>(record.DataJson, Core.Messages.RouterJson.Options) ?? new CdekOrderRecord();
        }
        catch (JsonException)
        {
            return new CdekOrderRecord();
        }
    }

    public string ToJson() => Core.Messages.RouterJson.Serialize(this);
}
