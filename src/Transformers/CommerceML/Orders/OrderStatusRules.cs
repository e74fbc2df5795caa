namespace Router.Transformers.CommerceML.Orders;

/// <summary>
/// The order status when 1C states none. Bitrix-style exchanges send "Статус заказа" (e.g. "[N] Принят"), which is
/// passed on verbatim so routes can map it; 1C 2.09 exports often send only the document's flags.
/// </summary>
internal static class OrderStatusRules
{
    public const string Cancelled = "cancelled";
    public const string Confirmed = "confirmed";
    public const string New = "new";

    public static string Decide(IReadOnlyDictionary<string, string> requisites, bool posted, bool deleted)
    {
        if (CommerceXml.NonEmpty(requisites.GetValueOrDefault("Статус заказа")) is { } stated)
        {
            return stated;
        }
        // A deletion mark or "Отменен" outranks posting: a posted order can still be cancelled afterwards.
        if (deleted || OrderStatusReader.IsTrue(requisites.GetValueOrDefault("Отменен")))
        {
            return Cancelled;
        }
        return posted ? Confirmed : New;
    }
}
