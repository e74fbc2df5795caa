namespace Router.Endpoints.Http;

/// <summary>The YAML keys of an <c>http</c> endpoint, shared by its schema and its option reader.</summary>
public static class HttpOptionKeys
{
    public const string Url = "url";
    public const string Method = "method";
    public const string Headers = "headers";
    public const string Auth = "auth";
    public const string Basic = "basic";
    public const string User = "user";
    public const string Password = "password";
    public const string Bearer = "bearer";
    public const string Body = "body";
    public const string IdempotencyHeader = "idempotencyHeader";
}
