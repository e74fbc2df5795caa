using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.Notifications;

namespace Router.Endpoints.Email;

/// <summary>E-mail over SMTP (MailKit), rendered from the notification templates, sent at most once per recipient.</summary>
public sealed class EmailEndpointKind : IEndpointKind, ICheckedEndpointKind
{
    public const string Name = "email";

    private static readonly ObjectSchema Schema = new(
        new PropertySchema(EmailOptionKeys.Host, new StringSchema { Description = "The SMTP server's host name (or give pickupDirectory)." }),
        new PropertySchema(EmailOptionKeys.PickupDirectory, new StringSchema
        {
            Description = "Instead of SMTP: write each message as <Message-ID>.eml into this folder (a local MTA's pickup folder, the sandbox), relative to the config file.",
        }),
        new PropertySchema(EmailOptionKeys.Port, new IntegerSchema
        {
            Minimum = 1,
            Maximum = 65535,
            Description = "The SMTP port: 587 for starttls, 465 for ssl, 25 for none by default.",
        }),
        new PropertySchema(EmailOptionKeys.Security, new StringSchema
        {
            Enum = EmailOptions.SecurityModes,
            Description = "starttls (submission, port 587), ssl (implicit TLS, port 465) or none (a local relay only).",
            Default = EmailOptions.StartTls,
        }),
        new PropertySchema(EmailOptionKeys.User, new StringSchema { Description = "The login for SMTP AUTH; no AUTH when absent." }),
        new PropertySchema(EmailOptionKeys.Password, new StringSchema { Secret = true, Description = "The password for SMTP AUTH." }),
        new PropertySchema(EmailOptionKeys.From, new StringSchema { Description = "The sender: 'Магазин <shop@example.ru>'." }) { Required = true },
        new PropertySchema(EmailOptionKeys.MessageIdDomain, new StringSchema
        {
            Description = "The domain of the stable Message-ID <hash@domain> derived from each delivery.",
            Default = EmailOptions.DefaultMessageIdDomain,
        }),
        new PropertySchema(EmailOptionKeys.TrustedCertificate, new StringSchema
        {
            Description = "A PEM certificate to trust besides the system's (a self-signed relay), relative to the config file.",
        }),
        new PropertySchema(EmailOptionKeys.Templates, new StringSchema
        {
            Description = "The notification templates directory, relative to the config file.",
            Default = TemplateDirectory.Default,
        }))
    {
        Description = "E-mail over SMTP.",
    };

    public string Kind => Name;

    public string Description => "E-mail over SMTP (STARTTLS, AUTH): notification.requested rendered from templates, per-recipient results, stable Message-ID, claim-before-send.";

    public EndpointDirections Directions => EndpointDirections.Outbound;

    public ObjectSchema OptionsSchema => Schema;

    public IEnumerable<ConfigException> CheckOptions(ConfigMapping options, EndpointUsage usage) =>
        EmailOptions.Check(options).Concat(TemplateDirectory.Check(options));

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        throw new InvalidOperationException($"endpoint '{definition.Id}': the email kind only sends");

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new EmailOutboundEndpoint(definition.Id, EmailOptions.Read(definition.Options, services.FileSystem, services.ResolvePath),
            TemplateDirectory.Load(services.FileSystem, definition.Options, services.ResolvePath), services);
}
