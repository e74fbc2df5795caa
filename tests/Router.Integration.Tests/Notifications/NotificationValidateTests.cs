using Router.Integration.Tests.Support;

namespace Router.Integration.Tests.Notifications;

/// <summary><c>router validate</c> checks the notification templates and the credentials each SMS provider needs.</summary>
public sealed class NotificationValidateTests
{
    [Test]
    public async Task A_broken_template_and_a_provider_without_its_key_are_reported_by_validate()
    {
        using var directory = new TemporaryDirectory();
        var templates = Directory.CreateDirectory(directory.Combine("templates")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Config, "templates"), "*.liquid"))
        {
            File.Copy(file, Path.Combine(templates, Path.GetFileName(file)));
        }
        await File.WriteAllTextAsync(Path.Combine(templates, "order-paid.sms.liquid"), "Заказ {{ ordrNumber }} оплачен");
        var path = directory.Combine("router.yaml");
        await File.WriteAllTextAsync(path, """
            router:
              transport: { kind: sqlite }
              storage: { kind: sqlite, path: ./data/router.db }
            endpoints:
              notifications: { kind: folder, path: ./in, type: notification.requested }
              sms:
                kind: sms
                provider: smsc
                login: shop
              email:
                kind: email
                host: 127.0.0.1
                from: "Магазин <shop@example.ru>"
                templates: ./missing
            routes:
              - id: notify
                from: notifications
                to: [ sms, email ]
            """);

        var result = await Support.Cli.RunAsync("validate", "--config", path);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Out, Does.Contain($"{path}:7:5: error: ").And.Contain("order-paid.sms.liquid: Undefined variable 'ordrNumber'"));
        Assert.That(result.Out, Does.Contain("the smsc provider needs 'apiKey', or 'login' and 'password'"));
        Assert.That(result.Out, Does.Contain($"{path}:14:16: error: the templates directory ").And.Contain("missing does not exist"));
    }
}
