using System.Text.Json;
using Router.Core.Failures;
using Router.Core.Messages;

namespace Router.Endpoints.Shared;

/// <summary>Serialises what an outbound endpoint sends, with the router's JSON settings so files and requests read alike.</summary>
public static class DeliveryBody
{
    public static byte[] Serialize(Envelope envelope, BodyMode mode, bool indented = false)
    {
        var options = indented ? RouterJson.Indented : RouterJson.Options;
        if (mode == BodyMode.Envelope)
        {
            return JsonSerializer.SerializeToUtf8Bytes(envelope, options);
        }
        if (envelope.Payload.ValueKind == JsonValueKind.Undefined)
        {
            throw new PermanentFailureException(ErrorCodes.MalformedInput, $"message {envelope.MessageId} has no payload to send");
        }
        return JsonSerializer.SerializeToUtf8Bytes(envelope.Payload, options);
    }
}
