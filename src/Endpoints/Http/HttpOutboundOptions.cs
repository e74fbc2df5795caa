using System.Text;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Endpoints.Shared;

namespace Router.Endpoints.Http;

/// <summary>A header from the YAML; <see cref="IsSecret"/> values are masked wherever a plan is shown.</summary>
public sealed record ConfiguredHeader(string Name, string Value, bool IsSecret);

/// <summary>An <c>http</c> endpoint's options, read after schema validation.</summary>
public sealed record HttpOutboundOptions
{
    public const string DefaultIdempotencyHeader = "Idempotency-Key";

    public static readonly IReadOnlyList<string> Methods = ["POST", "PUT", "PATCH"];

    public required Uri Url { get; init; }

    /// <summary>The URL came from a secret reference: only its scheme and host may be shown.</summary>
    public bool UrlIsSecret { get; init; }

    public HttpMethod Method { get; init; } = HttpMethod.Post;
    public IReadOnlyList<ConfiguredHeader> Headers { get; init; } = [];

    /// <summary>The full Authorization header value (<c>Basic …</c>, <c>Bearer …</c>), if any. Always secret.</summary>
    public string? Authorization { get; init; }

    public BodyMode Body { get; init; } = BodyMode.Payload;
    public string IdempotencyHeader { get; init; } = DefaultIdempotencyHeader;

    /// <summary>Every secret value (header values, password, token), so text a partner echoes back can be scrubbed of them.</summary>
    public IReadOnlyList<string> SecretValues { get; init; } = [];

    public static HttpOutboundOptions Read(ConfigMapping options)
    {
        var urlText = options.GetRequiredString(HttpOptionKeys.Url);
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            var secret = options.IsSecret(HttpOptionKeys.Url);
            throw new ConfigException(options[HttpOptionKeys.Url]!.Mark, secret ? "'url' must be an absolute http(s) URL" : $"'url' must be an absolute http(s) URL, not '{urlText}'");
        }
        var headers = new List<ConfiguredHeader>();
        if (options.GetMapping(HttpOptionKeys.Headers) is { } headerMap)
        {
            foreach (var (key, value) in headerMap.Entries)
            {
                if (value is not ConfigScalar scalar)
                {
                    throw new ConfigException(value.Mark, $"header '{key.Value}' must be text, not {value.ShapeName}");
                }
                headers.Add(new ConfiguredHeader(key.Value ?? "", scalar.Value ?? "", scalar.IsSecret || key.IsSecret));
            }
        }
        var (authorization, credentials) = ReadAuth(options);
        var secrets = headers.Where(h => h.IsSecret).Select(h => h.Value).Concat(credentials).ToList();
        if (authorization is not null)
        {
            secrets.Add(authorization);
            secrets.Add(authorization[(authorization.IndexOf(' ') + 1)..]);
        }
        if (url.UserInfo.Length > 0)
        {
            secrets.Add(url.UserInfo);
        }
        return new HttpOutboundOptions
        {
            Url = url,
            UrlIsSecret = options.IsSecret(HttpOptionKeys.Url),
            Method = new HttpMethod(options.GetString(HttpOptionKeys.Method, "POST").ToUpperInvariant()),
            Headers = headers,
            Authorization = authorization,
            Body = BodyModes.Parse(options.GetString(HttpOptionKeys.Body, BodyModes.Payload)),
            IdempotencyHeader = options.GetString(HttpOptionKeys.IdempotencyHeader, DefaultIdempotencyHeader),
            SecretValues = secrets.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static (string? Authorization, IReadOnlyList<string> Credentials) ReadAuth(ConfigMapping options)
    {
        var auth = options.GetMapping(HttpOptionKeys.Auth);
        if (auth is null)
        {
            return (null, []);
        }
        if (auth.GetMapping(HttpOptionKeys.Basic) is { } basic)
        {
            var user = basic.GetRequiredString(HttpOptionKeys.User);
            var password = basic.GetRequiredString(HttpOptionKeys.Password);
            return (BasicAuthorization.Header(user, password), [password]);
        }
        if (auth.GetString(HttpOptionKeys.Bearer) is { } bearer)
        {
            return ("Bearer " + bearer, [bearer]);
        }
        throw new ConfigException(auth.Mark, "'auth' must have 'basic' or 'bearer'");
    }
}
