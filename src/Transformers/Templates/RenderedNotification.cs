namespace Router.Transformers.Templates;

/// <summary>An SMS text, ready to send.</summary>
public sealed record RenderedSms(string Text);

/// <summary>An e-mail's subject and bodies; at least one body is present.</summary>
public sealed record RenderedEmail(string Subject, string? Html, string? Text);
