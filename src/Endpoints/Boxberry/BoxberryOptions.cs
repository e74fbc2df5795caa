using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Transformers.Boxberry;

namespace Router.Endpoints.Boxberry;

public static class BoxberryOptionKeys
{
    public const string Url = "url";
    public const string Token = "token";
    public const string Shipment = "shipment";
    public const string PointOfAcceptance = "pointOfAcceptance";
    public const string Issue = "issue";
    public const string SenderName = "senderName";
    public const string Poll = "poll";
    public const string StatusInterval = "statusInterval";
    public const string PointsCacheTtl = "pointsCacheTtl";
}

/// <summary>A <c>boxberry</c> endpoint's options, read once.</summary>
public sealed record BoxberryOptions
{
    public const string DefaultUrl = "https://api.boxberry.ru/json.php";
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultStatusInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan DefaultPointsCacheTtl = TimeSpan.FromHours(24);

    public required Uri Url { get; init; }
    public required string Token { get; init; }
    public BoxberryShipmentDefaults Shipment { get; init; } = new();

    /// <summary>How often the endpoint looks for parcels whose status is due.</summary>
    public TimeSpan Poll { get; init; } = DefaultPoll;

    /// <summary>How often one parcel's statuses are read: Boxberry asks for at most once an hour.</summary>
    public TimeSpan StatusInterval { get; init; } = DefaultStatusInterval;

    public TimeSpan PointsCacheTtl { get; init; } = DefaultPointsCacheTtl;

    public IReadOnlyList<string> SecretValues => [Token];

    public static readonly ObjectSchema Schema = new(
        new PropertySchema(BoxberryOptionKeys.Url, new StringSchema
        {
            Format = StringFormat.Url,
            Default = DefaultUrl,
            Description = "Boxberry's json.php (https://api.boxberry.ru/json.php), or the sandbox's /boxberry/json.php.",
        }),
        new PropertySchema(BoxberryOptionKeys.Token, new StringSchema { Secret = true, Description = "The API token of the shop's cabinet; use ${env:…} or ${file:…}." }) { Required = true },
        new PropertySchema(BoxberryOptionKeys.Shipment, new ObjectSchema(
            new PropertySchema(BoxberryOptionKeys.PointOfAcceptance, new StringSchema { Description = "Where the shop hands parcels in (shop.name1, e.g. 010)." }),
            new PropertySchema(BoxberryOptionKeys.Issue, new StringSchema { Enum = ["0", "1", "2"], Default = "0", Description = "0: без вскрытия, 1: со вскрытием, 2: частичная выдача." }),
            new PropertySchema(BoxberryOptionKeys.SenderName, new StringSchema { Description = "sender_name on the parcel." }))
        { Description = "What every parcel of this shop shares." }),
        new PropertySchema(BoxberryOptionKeys.Poll, new StringSchema { Format = StringFormat.Duration, Default = "5m", Description = "How often to look for parcels whose status is due." }),
        new PropertySchema(BoxberryOptionKeys.StatusInterval, new StringSchema
        {
            Format = StringFormat.Duration,
            Default = "1h",
            Description = "How often one parcel's statuses are read (Boxberry asks for no more than hourly).",
        }),
        new PropertySchema(BoxberryOptionKeys.PointsCacheTtl, new StringSchema { Format = StringFormat.Duration, Default = "24h", Description = "How long ListPoints answers are reused." }))
    {
        Description = "Boxberry json.php: creates and cancels parcels (shipment.requested, shipment.cancel-requested) and polls their statuses (Boxberry has no webhooks).",
    };

    public static BoxberryOptions Read(ConfigMapping options)
    {
        var text = options.GetString(BoxberryOptionKeys.Url, DefaultUrl);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Query.Length > 0)
        {
            throw new ConfigException(options[BoxberryOptionKeys.Url]!.Mark, $"'{BoxberryOptionKeys.Url}' must be an absolute http(s) URL without a query, not '{text}'");
        }
        var shipment = options.GetMapping(BoxberryOptionKeys.Shipment);
        return new BoxberryOptions
        {
            Url = url,
            Token = options.GetRequiredString(BoxberryOptionKeys.Token),
            Shipment = new BoxberryShipmentDefaults
            {
                PointOfAcceptance = shipment?.GetString(BoxberryOptionKeys.PointOfAcceptance),
                Issue = shipment?.GetString(BoxberryOptionKeys.Issue, "0") ?? "0",
                SenderName = shipment?.GetString(BoxberryOptionKeys.SenderName),
            },
            Poll = options.GetDuration(BoxberryOptionKeys.Poll, DefaultPoll),
            StatusInterval = options.GetDuration(BoxberryOptionKeys.StatusInterval, DefaultStatusInterval),
            PointsCacheTtl = options.GetDuration(BoxberryOptionKeys.PointsCacheTtl, DefaultPointsCacheTtl),
        };
    }
}
