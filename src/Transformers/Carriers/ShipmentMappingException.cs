namespace Router.Transformers.Carriers;

/// <summary>A shipment request a carrier cannot accept as it stands (no tariff, no destination, fractional quantities): a permanent problem with the message.</summary>
public sealed class ShipmentMappingException : Exception
{
    public ShipmentMappingException(string message)
        : base(message)
    {
    }
}
