using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using Router.Transformers.Templates;

namespace Router.Transformers.Tests.Templates;

/// <summary>The shipped templates in config/templates, and what loading and rendering do with broken ones.</summary>
public sealed class NotificationTemplatesTests
{
    private static readonly string ShippedDirectory = FindShipped();

    private static readonly Dictionary<string, string> Data = new()
    {
        ["orderNumber"] = "A-1001",
        ["customerName"] = "Анна Петрова",
        ["amount"] = "12345.5",
        ["paymentUrl"] = "https://yoomoney.ru/checkout/payments/v2/contract?orderId=2d9c",
        ["carrier"] = "СДЭК",
        ["trackingNumber"] = "1106207236",
        ["pickupPointId"] = "MSK227",
        ["pickupPointAddress"] = "Москва, Тверская ул., 7",
        ["reason"] = "оплата не поступила вовремя",
    };

    private static NotificationTemplates Shipped() => NotificationTemplates.Load(new FileSystem(), ShippedDirectory);

    [Test]
    public void Every_template_the_saga_names_has_an_sms_a_subject_and_a_body()
    {
        var templates = Shipped();
        foreach (var name in NotificationTemplateNames.All)
        {
            Assert.That(templates.Has(name, NotificationTemplateNames.SmsPart), name);
            Assert.That(templates.Has(name, NotificationTemplateNames.SubjectPart), name);
            Assert.That(templates.Has(name, NotificationTemplateNames.HtmlPart) && templates.Has(name, NotificationTemplateNames.TextPart), name);
        }
    }

    [TestCase("order-accepted", "Анна Петрова, заказ №A-1001 принят на сумму 12\u00A0345,50\u00A0₽. Оплатить: https://yoomoney.ru/checkout/payments/v2/contract?orderId=2d9c")]
    [TestCase("order-paid", "Заказ №A-1001 оплачен: 12\u00A0345,50\u00A0₽. Сообщим, когда передадим его в доставку.")]
    [TestCase("order-shipped", "Заказ №A-1001 передан в доставку (СДЭК). Трек-номер: 1106207236")]
    [TestCase("order-ready-for-pickup", "Заказ №A-1001 ждёт вас в пункте выдачи: Москва, Тверская ул., 7. Код: 1106207236")]
    [TestCase("order-cancelled", "Заказ №A-1001 отменён: оплата не поступила вовремя. Деньги (12\u00A0345,50\u00A0₽) вернём на карту.")]
    public void Sms_texts_are_rendered_in_russian_with_the_data(string template, string expected)
    {
        Assert.That(Shipped().RenderSms(template, Data).Text, Is.EqualTo(expected));
    }

    [Test]
    public void Keys_the_saga_left_out_drop_their_sentence_instead_of_leaving_a_blank()
    {
        var text = Shipped().RenderSms("order-shipped", new Dictionary<string, string> { ["orderNumber"] = "7" }).Text;

        Assert.That(text, Is.EqualTo("Заказ №7 передан в доставку."));
    }

    [Test]
    public void E_mails_have_a_subject_an_html_body_with_escaped_data_and_a_text_body()
    {
        var data = new Dictionary<string, string>(Data) { ["customerName"] = "Анна <script>" };

        var email = Shipped().RenderEmail("order-ready-for-pickup", data);

        Assert.That(email.Subject, Is.EqualTo("Заказ №A-1001 можно забрать"));
        Assert.That(email.Html, Does.Contain("Анна &lt;script&gt;, здравствуйте!"));
        Assert.That(email.Html, Does.Contain("Москва, Тверская ул., 7"), "Cyrillic is kept as text, not as character references");
        Assert.That(email.Text, Does.StartWith("Анна <script>, здравствуйте!"));
        Assert.That(email.Text, Does.Contain("Адрес: Москва, Тверская ул., 7"));
        Assert.That(email.Text, Does.Contain("(MSK227)"));
    }

    [Test]
    public void A_subject_given_in_the_notification_wins_over_the_template()
    {
        var email = Shipped().RenderEmail("order-paid", Data, subject: "Спасибо за оплату");

        Assert.That(email.Subject, Is.EqualTo("Спасибо за оплату"));
    }

    [Test]
    public void A_missing_template_names_the_file_it_expected()
    {
        var ex = Assert.Throws<NotificationTemplateException>(() => Shipped().RenderSms("order-lost", Data));

        Assert.That(ex!.Message, Does.Contain(Path.Combine(ShippedDirectory, "order-lost.sms.liquid")));
    }

    [Test]
    public void An_amount_that_is_not_a_number_fails_the_render_naming_the_file()
    {
        var data = new Dictionary<string, string>(Data) { ["amount"] = "двести" };

        var ex = Assert.Throws<NotificationTemplateException>(() => Shipped().RenderSms("order-paid", data));

        Assert.That(ex!.Message, Does.Contain("order-paid.sms.liquid").And.Contain("'двести' is not an amount"));
    }

    [Test]
    public void Loading_reports_every_broken_file_at_once()
    {
        var files = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/t/order-paid.sms.liquid"] = new("Заказ {{ orderNumber }} {% if %}"),
            ["/t/order-paid.subject.liquid"] = new("Заказ {{ ordrNumber }}"),
            ["/t/order-paid.text.liquid"] = new("{{ amount | money_rub }}"),
            ["/t/order-paid.body.liquid"] = new("?"),
            ["/t/order-shipped.sms.liquid"] = new("Заказ {{ orderNumber }} отправлен"),
        });

        var ex = Assert.Throws<NotificationTemplateException>(() => NotificationTemplates.Load(files, "/t"));

        Assert.That(ex!.Message, Does.Contain("order-paid.sms.liquid"), "a syntax error");
        Assert.That(ex.Message, Does.Contain("order-paid.subject.liquid").And.Contain("ordrNumber"), "a misspelt variable");
        Assert.That(ex.Message, Does.Contain("order-paid.text.liquid").And.Contain("money_rub"), "an unknown filter");
        Assert.That(ex.Message, Does.Contain("order-paid.body.liquid"), "a file name that is no part");
        Assert.That(ex.Message, Does.Not.Contain("order-shipped"));
    }

    [Test]
    public void A_missing_directory_is_named()
    {
        var ex = Assert.Throws<NotificationTemplateException>(() => NotificationTemplates.Load(new MockFileSystem(), "/nowhere"));

        Assert.That(ex!.Message, Does.Contain("/nowhere"));
    }

    private static string FindShipped()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Router.sln")))
            {
                return Path.Combine(dir.FullName, "config", "templates");
            }
        }
        throw new DirectoryNotFoundException("config/templates not found above " + AppContext.BaseDirectory);
    }
}
