namespace Router.Transport.RabbitMq.Topology;

/// <summary>
/// Where a Rebus destination address goes: a plain queue name is the routing key on the direct exchange, where every
/// queue is bound under its own name; <c>routingKey@exchange</c> names both (publishes use <c>topic@topic-exchange</c>).
/// </summary>
internal readonly record struct Address(string Exchange, string RoutingKey)
{
    public static Address Parse(string destination, string directExchange)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var at = destination.LastIndexOf('@');
        return at > 0 && at < destination.Length - 1
            ? new Address(destination[(at + 1)..], destination[..at])
            : new Address(directExchange, destination);
    }

    public override string ToString() => $"{RoutingKey}@{Exchange}";
}
