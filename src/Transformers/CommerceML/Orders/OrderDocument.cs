using Router.Core.Canonical;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>One order Документ as read: the canonical status plus the 1C data version, which is envelope metadata.</summary>
internal sealed record OrderDocument(OrderStatus Status, long? Version);
