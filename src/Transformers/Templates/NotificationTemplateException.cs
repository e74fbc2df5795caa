namespace Router.Transformers.Templates;

/// <summary>A template that is missing, does not parse or does not render; the message names the file.</summary>
public sealed class NotificationTemplateException : Exception
{
    public NotificationTemplateException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
