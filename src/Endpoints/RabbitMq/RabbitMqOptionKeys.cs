namespace Router.Endpoints.RabbitMq;

/// <summary>The YAML keys of a <c>rabbitmq</c> endpoint, shared by its schema and its option reader.</summary>
public static class RabbitMqOptionKeys
{
    public const string Connection = "connection";
    public const string Queue = "queue";
    public const string Batch = "batch";
    public const string Prefetch = "prefetch";
    public const string Linger = "linger";
    public const string DeadLetterExchange = "deadLetterExchange";
    public const string Exchange = "exchange";
    public const string RoutingKey = "routingKey";
    public const string RoutingKeyExpression = "routingKeyExpression";
    public const string Body = "body";
    public const string ConfirmTimeout = "confirmTimeout";
}
