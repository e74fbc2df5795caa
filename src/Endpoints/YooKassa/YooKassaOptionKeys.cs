namespace Router.Endpoints.YooKassa;

/// <summary>The YAML keys of a <c>yookassa</c> endpoint.</summary>
public static class YooKassaOptionKeys
{
    public const string BaseUrl = "baseUrl";
    public const string ShopId = "shopId";
    public const string SecretKey = "secretKey";
    public const string ReturnUrl = "returnUrl";
    public const string AcceptedRetries = "acceptedRetries";
    public const string Webhook = "webhook";

    // under webhook:
    public const string Path = "path";
    public const string Allow = "allow";
    public const string TrustedProxies = "trustedProxies";
}
