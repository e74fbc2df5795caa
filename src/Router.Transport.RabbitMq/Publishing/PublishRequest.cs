using RabbitMQ.Client;
using Router.Transport.RabbitMq.Topology;

namespace Router.Transport.RabbitMq.Publishing;

/// <summary>One message ready for the wire: where it goes, whether the broker must route it, its properties and body.</summary>
internal sealed record PublishRequest(Address Address, bool Mandatory, BasicProperties Properties, byte[] Body)
{
    public string Describe() => Properties.MessageId is { } id ? $"{id} to {Address}" : $"a message to {Address}";
}
