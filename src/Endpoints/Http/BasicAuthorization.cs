using System.Text;

namespace Router.Endpoints.Http;

/// <summary>HTTP Basic credentials as the Authorization header carries them (UTF-8, as 1C and most partners expect).</summary>
public static class BasicAuthorization
{
    public static string Header(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}
