using System.IO.Abstractions;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Security;
using MimeKit;
using Router.Core.Config;
using Router.Core.Config.Nodes;

namespace Router.Endpoints.Email;

/// <summary>An <c>email</c> endpoint's options, read after schema validation.</summary>
public sealed record EmailOptions
{
    public const string StartTls = "starttls";
    public const string Ssl = "ssl";
    public const string None = "none";
    public const string DefaultMessageIdDomain = "router.local";

    public static readonly IReadOnlyList<string> SecurityModes = [StartTls, Ssl, None];

    /// <summary>The SMTP server; null when messages are dropped into <see cref="PickupDirectory"/> instead.</summary>
    public string? Host { get; init; }

    /// <summary>
    /// A folder to write each message into as an .eml file instead of sending it (a local MTA's pickup folder, or a
    /// sandbox with no mail server): the full path, resolved against the config file.
    /// </summary>
    public string? PickupDirectory { get; init; }

    public required int Port { get; init; }
    public required string Security { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
    public required MailboxAddress From { get; init; }
    public string MessageIdDomain { get; init; } = DefaultMessageIdDomain;

    /// <summary>A certificate to trust besides the system's (a self-signed relay, the test server).</summary>
    public X509Certificate2? TrustedCertificate { get; init; }

    public SecureSocketOptions SocketOptions => Security switch
    {
        Ssl => SecureSocketOptions.SslOnConnect,
        None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    public string DisplayTarget => PickupDirectory is { } folder ? $"pickup:{folder}" : $"smtp://{Host}:{Port}";

    public static EmailOptions Read(ConfigMapping options, IFileSystem fileSystem, Func<string, string> resolvePath)
    {
        var security = options.GetString(EmailOptionKeys.Security, StartTls);
        var fromText = options.GetRequiredString(EmailOptionKeys.From);
        if (!MailboxAddress.TryParse(fromText, out var from) || !from.Address.Contains('@'))
        {
            throw new ConfigException(options[EmailOptionKeys.From]!.Mark, $"'from' must be an e-mail address such as 'Магазин <shop@example.ru>', not '{fromText}'");
        }
        return new EmailOptions
        {
            Host = options.GetString(EmailOptionKeys.Host),
            PickupDirectory = options.GetString(EmailOptionKeys.PickupDirectory) is { } folder ? resolvePath(folder) : null,
            Port = options.GetInt(EmailOptionKeys.Port, security switch { Ssl => 465, None => 25, _ => 587 }),
            Security = security,
            User = options.GetString(EmailOptionKeys.User),
            Password = options.GetString(EmailOptionKeys.Password),
            From = from,
            MessageIdDomain = options.GetString(EmailOptionKeys.MessageIdDomain, DefaultMessageIdDomain),
            TrustedCertificate = options.GetString(EmailOptionKeys.TrustedCertificate) is { } path
                ? LoadCertificate(fileSystem, resolvePath(path), options[EmailOptionKeys.TrustedCertificate]!.Mark)
                : null,
        };
    }

    private static X509Certificate2 LoadCertificate(IFileSystem fileSystem, string path, SourceMark mark)
    {
        try
        {
            return X509Certificate2.CreateFromPem(fileSystem.File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigException(mark, $"'trustedCertificate': cannot read a PEM certificate from {path}: {ex.Message}");
        }
    }

    public static IEnumerable<ConfigException> Check(ConfigMapping options)
    {
        if (options.GetString(EmailOptionKeys.Host) is null == options.GetString(EmailOptionKeys.PickupDirectory) is null)
        {
            yield return new ConfigException(options.Mark, "give 'host' (send over SMTP) or 'pickupDirectory' (write .eml files), one of the two");
        }
        if (options.GetString(EmailOptionKeys.User) is null != options.GetString(EmailOptionKeys.Password) is null)
        {
            yield return new ConfigException(options.Mark, "'user' and 'password' go together: give both to log in, or neither");
        }
        if (options.GetString(EmailOptionKeys.From) is { } from && (!MailboxAddress.TryParse(from, out var address) || !address.Address.Contains('@')))
        {
            yield return new ConfigException(options[EmailOptionKeys.From]!.Mark, $"'from' must be an e-mail address such as 'Магазин <shop@example.ru>', not '{from}'");
        }
        if (options.GetString(EmailOptionKeys.Security, StartTls) == None && options.GetString(EmailOptionKeys.Password) is not null)
        {
            yield return new ConfigException(options[EmailOptionKeys.Security]!.Mark, "'security: none' would send the password in clear text; use starttls or ssl");
        }
    }
}
