namespace Router.Endpoints.Sms;

/// <summary>The YAML keys of an <c>sms</c> endpoint, shared by its schema and its option reader.</summary>
public static class SmsOptionKeys
{
    public const string Provider = "provider";
    public const string BaseUrl = "baseUrl";
    public const string ApiId = "apiId";
    public const string Login = "login";
    public const string Password = "password";
    public const string ApiKey = "apiKey";
    public const string From = "from";
    public const string Test = "test";
    public const string Templates = Notifications.TemplateDirectory.OptionKey;
}
