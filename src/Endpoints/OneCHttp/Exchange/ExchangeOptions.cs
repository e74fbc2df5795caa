using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Endpoints;
using Keys = Router.Endpoints.OneCHttp.OneCHttpOptionKeys;

namespace Router.Endpoints.OneCHttp.Exchange;

/// <summary>An <c>onec-http</c> endpoint in <c>mode: exchange</c>, with defaults applied and paths resolved.</summary>
public sealed record ExchangeOptions
{
    public const string DefaultPath = "/1c/exchange";

    /// <summary>What Bitrix advertises by default is 200 KB; 1 MB keeps the number of requests for a catalogue sane.</summary>
    public const long DefaultFileLimit = 1024 * 1024;

    public const long DefaultMaxUploadSize = 256L * 1024 * 1024;
    public const long DefaultBackgroundImportAbove = 1024 * 1024;
    public static readonly TimeSpan DefaultSessionTimeout = TimeSpan.FromHours(1);

    public string Path { get; init; } = DefaultPath;
    public required string User { get; init; }
    public required string Password { get; init; }

    /// <summary>Holds upload/ (one folder per session), failed/ (refused uploads with notes) and sale/ (the order queue).</summary>
    public required string ExchangeDir { get; init; }

    /// <summary>The chunk size 1C is told in <c>init</c>: larger files arrive as several appends.</summary>
    public long FileLimit { get; init; } = DefaultFileLimit;

    public required long MaxFileSize { get; init; }
    public long MaxUploadSize { get; init; } = DefaultMaxUploadSize;

    /// <summary>Imports of larger files run in the background and answer <c>progress</c> until done.</summary>
    public long BackgroundImportAbove { get; init; } = DefaultBackgroundImportAbove;

    public TimeSpan SessionTimeout { get; init; } = DefaultSessionTimeout;

    public string UploadDir => System.IO.Path.Combine(ExchangeDir, "upload");
    public string FailedDir => System.IO.Path.Combine(ExchangeDir, "failed");
    public string SaleDir => System.IO.Path.Combine(ExchangeDir, "sale");

    public static ExchangeOptions Read(ConfigMapping options, EndpointServices services)
    {
        var path = options.GetString(Keys.Path, DefaultPath);
        if (!path.StartsWith('/') || path.Contains('?') || path.Contains('#'))
        {
            throw new ConfigException(options[Keys.Path]!.Mark, $"'{Keys.Path}' must be a URL path starting with '/', not '{path}'");
        }
        return new ExchangeOptions
        {
            Path = path.Length > 1 ? path.TrimEnd('/') : path,
            User = options.GetRequiredString(Keys.User),
            Password = options.GetRequiredString(Keys.Password),
            ExchangeDir = services.ResolvePath(options.GetRequiredString(Keys.ExchangeDir)),
            FileLimit = Positive(options, Keys.FileLimit, DefaultFileLimit),
            MaxFileSize = Positive(options, Keys.MaxFileSize, services.MaxMessageSize),
            MaxUploadSize = Positive(options, Keys.MaxUploadSize, DefaultMaxUploadSize),
            BackgroundImportAbove = options.GetSize(Keys.BackgroundImportAbove, DefaultBackgroundImportAbove),
            SessionTimeout = options.GetDuration(Keys.SessionTimeout, DefaultSessionTimeout),
        };
    }

    private static long Positive(ConfigMapping options, string key, long defaultValue)
    {
        var value = options.GetSize(key, defaultValue);
        return value > 0 ? value : throw new ConfigException(options[key]!.Mark, $"'{key}' must be more than 0 bytes");
    }
}
