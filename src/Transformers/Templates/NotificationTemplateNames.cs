namespace Router.Transformers.Templates;

/// <summary>
/// The templates the order saga asks for by name in <c>notification.requested</c>, and the files that hold them. The names
/// are the contract between the saga and <c>config/templates/</c>; the README there lists the data keys each one reads.
/// </summary>
public static class NotificationTemplateNames
{
    public const string OrderAccepted = "order-accepted";
    public const string OrderPaid = "order-paid";
    public const string OrderShipped = "order-shipped";
    public const string OrderReadyForPickup = "order-ready-for-pickup";
    public const string OrderCancelled = "order-cancelled";

    public static readonly IReadOnlyList<string> All = [OrderAccepted, OrderPaid, OrderShipped, OrderReadyForPickup, OrderCancelled];

    public const string Extension = ".liquid";

    /// <summary>The parts a template may have, as the suffix of its file name: <c>order-paid.sms.liquid</c>.</summary>
    public const string SmsPart = "sms";
    public const string SubjectPart = "subject";
    public const string HtmlPart = "html";
    public const string TextPart = "text";

    public static readonly IReadOnlyList<string> Parts = [SmsPart, SubjectPart, HtmlPart, TextPart];

    public static string FileName(string template, string part) => $"{template}.{part}{Extension}";
}
