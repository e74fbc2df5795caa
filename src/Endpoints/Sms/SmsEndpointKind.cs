using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Config.Schema;
using Router.Core.Endpoints;
using Router.Endpoints.Notifications;

namespace Router.Endpoints.Sms;

/// <summary>SMS through sms.ru or SMSC.ru, rendered from the notification templates, sent at most once per recipient.</summary>
public sealed class SmsEndpointKind : IEndpointKind, ICheckedEndpointKind
{
    public const string Name = "sms";

    private static readonly ObjectSchema Schema = new(
        new PropertySchema(SmsOptionKeys.Provider, new StringSchema
        {
            Enum = SmsOptions.Providers,
            Description = "The SMS gateway: smsru (sms.ru) or smsc (SMSC.ru).",
            Default = SmsRuGateway.Name,
        }),
        new PropertySchema(SmsOptionKeys.BaseUrl, new StringSchema
        {
            Format = StringFormat.Url,
            Description = "The gateway's address: https://sms.ru or https://smsc.ru by default; the sandbox's /smsru or /smsc for tests.",
        }),
        new PropertySchema(SmsOptionKeys.ApiId, new StringSchema { Secret = true, Description = "smsru: the api_id key." }),
        new PropertySchema(SmsOptionKeys.Login, new StringSchema { Description = "smsc: the account login (with 'password')." }),
        new PropertySchema(SmsOptionKeys.Password, new StringSchema { Secret = true, Description = "smsc: the account password." }),
        new PropertySchema(SmsOptionKeys.ApiKey, new StringSchema { Secret = true, Description = "smsc: an API key instead of login and password." }),
        new PropertySchema(SmsOptionKeys.From, new StringSchema { Description = "The sender name approved by the gateway; the account's default when absent." }),
        new PropertySchema(SmsOptionKeys.Test, new BooleanSchema
        {
            Description = "smsru: send with test=1 (checked and answered, never sent or charged).",
            Default = false,
        }),
        new PropertySchema(SmsOptionKeys.Templates, new StringSchema
        {
            Description = "The notification templates directory, relative to the config file.",
            Default = TemplateDirectory.Default,
        }))
    {
        Description = "SMS through sms.ru or SMSC.ru.",
    };

    public string Kind => Name;

    public string Description => "SMS through sms.ru or SMSC.ru: notification.requested rendered from templates, per-number results, claim-before-send.";

    public EndpointDirections Directions => EndpointDirections.Outbound;

    public ObjectSchema OptionsSchema => Schema;

    public IEnumerable<ConfigException> CheckOptions(ConfigMapping options, EndpointUsage usage) =>
        SmsOptions.Check(options).Concat(TemplateDirectory.Check(options));

    public IInboundEndpoint CreateInbound(EndpointDefinition definition, EndpointServices services) =>
        throw new InvalidOperationException($"endpoint '{definition.Id}': the sms kind only sends");

    public IOutboundEndpoint CreateOutbound(EndpointDefinition definition, EndpointServices services) =>
        new SmsOutboundEndpoint(definition.Id, SmsOptions.Read(definition.Options),
            TemplateDirectory.Load(services.FileSystem, definition.Options, services.ResolvePath), services);
}
