using Router.Core.Endpoints;
using Router.Core.Messages;
using Router.Endpoints.Folder;

namespace Router.Endpoints.Tests.Folder;

public sealed class FileNameTemplateTests
{
    [Test]
    public void With_folders_allowed_literal_slashes_make_subfolders_but_a_value_never_does()
    {
        var template = FileNameTemplate.Parse("orders/{entityKey}/{messageId}.xml", allowFolders: true);
        var envelope = new Envelope { MessageId = "a/../b", Type = MessageTypes.OrderCreated, Source = "s", EntityKey = "order:1001", Payload = RouterJson.ParseElement("{}") };

        var name = template.Render(envelope, new DeliveryContext { RouteId = "r", EndpointId = "e", IdempotencyKey = "k" });

        Assert.That(name, Is.EqualTo("orders/order_1001/a_.._b.xml"));
    }

    [TestCase("../{messageId}.xml")]
    [TestCase("/abs/{messageId}.xml")]
    [TestCase("orders//{messageId}.xml")]
    public void Stepping_out_or_empty_folders_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => FileNameTemplate.Parse(text, allowFolders: true));
    }

    [Test]
    public void Without_permission_a_folder_is_still_refused()
    {
        Assert.Throws<FormatException>(() => FileNameTemplate.Parse("orders/{messageId}.xml"));
    }
}
