using System.Text;

namespace Router.Endpoints.Http;

/// <summary>A URL as it may appear in logs, errors and dead letters: no user info, no secret query values.</summary>
public static class UrlForDisplay
{
    private static readonly string[] SecretQueryNames = ["token", "key", "secret", "password", "passwd", "pwd", "signature", "sig", "auth"];

    /// <param name="wholeUrlIsSecret">The URL came from a secret reference: show only where it points, not its path.</param>
    public static string Of(Uri url, bool wholeUrlIsSecret = false)
    {
        var origin = $"{url.Scheme}://{url.Host}{(url.IsDefaultPort ? "" : ":" + url.Port)}";
        if (wholeUrlIsSecret)
        {
            return origin + "/***";
        }
        var display = new StringBuilder(origin).Append(url.AbsolutePath);
        if (url.Query.Length > 1)
        {
            display.Append('?').AppendJoin('&', url.Query[1..].Split('&').Select(MaskParameter));
        }
        return display.ToString();
    }

    private static string MaskParameter(string parameter)
    {
        var equals = parameter.IndexOf('=');
        if (equals < 0)
        {
            return parameter;
        }
        var name = Uri.UnescapeDataString(parameter[..equals]).ToLowerInvariant();
        return SecretQueryNames.Any(name.Contains) ? parameter[..equals] + "=***" : parameter;
    }
}
