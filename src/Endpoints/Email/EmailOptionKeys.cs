namespace Router.Endpoints.Email;

/// <summary>The YAML keys of an <c>email</c> endpoint, shared by its schema and its option reader.</summary>
public static class EmailOptionKeys
{
    public const string Host = "host";
    public const string PickupDirectory = "pickupDirectory";
    public const string Port = "port";
    public const string Security = "security";
    public const string User = "user";
    public const string Password = "password";
    public const string From = "from";
    public const string MessageIdDomain = "messageIdDomain";
    public const string TrustedCertificate = "trustedCertificate";
    public const string Templates = Notifications.TemplateDirectory.OptionKey;
}
