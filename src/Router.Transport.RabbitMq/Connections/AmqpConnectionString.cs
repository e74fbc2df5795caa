namespace Router.Transport.RabbitMq.Connections;

/// <summary>An <c>amqp://user:password@host:port/vhost</c> URI, and how it may be shown: never with its password.</summary>
public sealed class AmqpConnectionString
{
    private AmqpConnectionString(Uri uri) => Uri = uri;

    public Uri Uri { get; }

    public static AmqpConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!Uri.TryCreate(connectionString.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            // The text may hold a password: say what is wrong without repeating it.
            throw new FormatException("the RabbitMQ connection string must be an amqp:// or amqps:// URI (amqp://user:password@host:5672/vhost)");
        }
        return new AmqpConnectionString(uri);
    }

    /// <summary>The URI with the password replaced by <c>***</c>, for logs and messages.</summary>
    public override string ToString() => Mask(Uri);

    public static string Mask(Uri uri)
    {
        if (string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri.ToString();
        }
        var user = uri.UserInfo.Split(':', 2)[0];
        var builder = new UriBuilder(uri) { UserName = user, Password = uri.UserInfo.Contains(':') ? "***" : "" };
        return builder.Uri.ToString();
    }

    /// <summary>Masks whatever the text is; for connection strings that may not even parse.</summary>
    public static string MaskText(string? connectionString) =>
        connectionString is not null && Uri.TryCreate(connectionString.Trim(), UriKind.Absolute, out var uri) ? Mask(uri) : "(unparsable connection string)";
}
