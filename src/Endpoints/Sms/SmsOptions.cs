using Router.Core.Config;
using Router.Core.Config.Nodes;

namespace Router.Endpoints.Sms;

/// <summary>An <c>sms</c> endpoint's options, read after schema validation, and the gateway they describe.</summary>
public sealed record SmsOptions(ISmsGateway Gateway, string? From)
{
    public static readonly IReadOnlyList<string> Providers = [SmsRuGateway.Name, SmscGateway.Name];

    public static SmsOptions Read(ConfigMapping options)
    {
        var provider = options.GetString(SmsOptionKeys.Provider, SmsRuGateway.Name);
        var baseUrl = ReadBaseUrl(options, provider == SmscGateway.Name ? SmscGateway.DefaultBaseUrl : SmsRuGateway.DefaultBaseUrl);
        ISmsGateway gateway = provider switch
        {
            SmsRuGateway.Name => new SmsRuGateway(baseUrl,
                options.GetString(SmsOptionKeys.ApiId) ?? throw new ConfigException(options.Mark, "the smsru provider needs 'apiId'"),
                options.GetBool(SmsOptionKeys.Test, false)),
            SmscGateway.Name => new SmscGateway(baseUrl, options.GetString(SmsOptionKeys.Login), options.GetString(SmsOptionKeys.Password),
                options.GetString(SmsOptionKeys.ApiKey)),
            _ => throw new ConfigException(options[SmsOptionKeys.Provider]?.Mark ?? options.Mark, $"unknown SMS provider '{provider}'"),
        };
        return new SmsOptions(gateway, options.GetString(SmsOptionKeys.From));
    }

    /// <summary>Rules across keys the schema cannot state: which credentials each provider needs.</summary>
    public static IEnumerable<ConfigException> Check(ConfigMapping options)
    {
        var provider = options.GetString(SmsOptionKeys.Provider, SmsRuGateway.Name);
        if (provider == SmsRuGateway.Name && options.GetString(SmsOptionKeys.ApiId) is null)
        {
            yield return new ConfigException(options.Mark, "the smsru provider needs 'apiId'");
        }
        if (provider == SmscGateway.Name && options.GetString(SmsOptionKeys.ApiKey) is null
            && (options.GetString(SmsOptionKeys.Login) is null || options.GetString(SmsOptionKeys.Password) is null))
        {
            yield return new ConfigException(options.Mark, "the smsc provider needs 'apiKey', or 'login' and 'password'");
        }
        foreach (var key in provider == SmsRuGateway.Name ? new[] { SmsOptionKeys.Login, SmsOptionKeys.Password, SmsOptionKeys.ApiKey } : [SmsOptionKeys.ApiId, SmsOptionKeys.Test])
        {
            if (options[key] is { } node)
            {
                yield return new ConfigException(node.Mark, $"'{key}' does not apply to the {provider} provider");
            }
        }
    }

    private static Uri ReadBaseUrl(ConfigMapping options, Uri defaultUrl)
    {
        if (options.GetString(SmsOptionKeys.BaseUrl) is not { } text)
        {
            return defaultUrl;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ConfigException(options[SmsOptionKeys.BaseUrl]!.Mark, $"'baseUrl' must be an absolute http(s) URL, not '{text}'");
        }
        return url;
    }
}
