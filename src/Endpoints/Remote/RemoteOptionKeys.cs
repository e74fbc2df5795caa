namespace Router.Endpoints.Remote;

/// <summary>The YAML keys that say where a remote folder tree is and how to log in.</summary>
public static class RemoteOptionKeys
{
    public const string Url = "url";
    public const string User = "user";
    public const string Password = "password";
    public const string PrivateKeyFile = "privateKeyFile";
    public const string Passphrase = "passphrase";
    public const string HostKey = "hostKey";
    public const string Certificate = "certificate";
    public const string Timeout = "timeout";
}
