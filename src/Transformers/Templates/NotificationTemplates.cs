using System.IO.Abstractions;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace Router.Transformers.Templates;

/// <summary>
/// The notification templates of one directory (<c>config/templates/</c>), parsed once when an endpoint is built so a
/// broken file shows up at start and in <c>router validate</c>, not on the first customer's order. Rendering is pure:
/// the same template and data give the same text, which is what preview and the tests rely on.
/// </summary>
/// <remarks>
/// Liquid (Fluid) because its templates are safe to hand to people who are not programmers: no code runs, only the
/// data given is visible. Variables are strict, so a misspelt name fails loudly instead of sending a blank; every
/// documented key (<see cref="NotificationData.Keys"/>) is always defined, empty when the saga did not fill it.
/// </remarks>
public sealed class NotificationTemplates
{
    private static readonly FluidParser Parser = new();

    // Cyrillic stays as it is in HTML; only markup characters in the data are escaped.
    private static readonly TextEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly Dictionary<(string Template, string Part), ParsedPart> parts;

    private NotificationTemplates(string directory, Dictionary<(string, string), ParsedPart> parts)
    {
        Directory = directory;
        this.parts = parts;
    }

    /// <summary>Full path of the directory the templates were read from.</summary>
    public string Directory { get; }

    public IEnumerable<string> TemplateNames => parts.Keys.Select(k => k.Template).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>Reads and parses every <c>*.liquid</c> file; throws one exception listing every file that is wrong.</summary>
    public static NotificationTemplates Load(IFileSystem fileSystem, string directory)
    {
        if (!fileSystem.Directory.Exists(directory))
        {
            throw new NotificationTemplateException($"the templates directory {directory} does not exist");
        }
        var problems = new List<string>();
        var parsed = new Dictionary<(string, string), ParsedPart>();
        foreach (var path in fileSystem.Directory.EnumerateFiles(directory, "*" + NotificationTemplateNames.Extension).Order(StringComparer.Ordinal))
        {
            var fileName = fileSystem.Path.GetFileName(path);
            var stem = fileName[..^NotificationTemplateNames.Extension.Length];
            var dot = stem.LastIndexOf('.');
            var part = dot < 0 ? "" : stem[(dot + 1)..];
            if (dot <= 0 || !NotificationTemplateNames.Parts.Contains(part))
            {
                problems.Add($"{path}: the name must be <template>.<part>.liquid with part one of {string.Join(", ", NotificationTemplateNames.Parts)}");
                continue;
            }
            var source = fileSystem.File.ReadAllText(path);
            if (!Parser.TryParse(source, out var template, out var error))
            {
                problems.Add($"{path}: {error}");
                continue;
            }
            var parsedPart = new ParsedPart(path, template);
            // A trial render with every documented key filled catches misspelt variables and unknown filters now.
            try
            {
                parsedPart.Render(NotificationData.Sample, part == NotificationTemplateNames.HtmlPart ? Html : NullEncoder.Default);
                parsed[(stem[..dot], part)] = parsedPart;
            }
            catch (NotificationTemplateException ex)
            {
                problems.Add(ex.Message);
            }
        }
        if (problems.Count > 0)
        {
            throw new NotificationTemplateException(string.Join(Environment.NewLine, problems));
        }
        return new NotificationTemplates(fileSystem.Path.GetFullPath(directory), parsed);
    }

    public bool Has(string template, string part) => parts.ContainsKey((template, part));

    /// <summary>The SMS text of <paramref name="template"/>, on one line's worth of whitespace (SMS parts are paid for).</summary>
    public RenderedSms RenderSms(string template, IReadOnlyDictionary<string, string> data)
    {
        var text = Require(template, NotificationTemplateNames.SmsPart).Render(data, NullEncoder.Default);
        return new RenderedSms(CollapseWhitespace(text));
    }

    /// <summary>The e-mail of <paramref name="template"/>; <paramref name="subject"/>, when given, wins over the template's subject.</summary>
    public RenderedEmail RenderEmail(string template, IReadOnlyDictionary<string, string> data, string? subject = null)
    {
        var html = Find(template, NotificationTemplateNames.HtmlPart);
        var text = Find(template, NotificationTemplateNames.TextPart);
        if (html is null && text is null)
        {
            throw new NotificationTemplateException(
                $"no e-mail body for template '{template}': expected {Expected(template, NotificationTemplateNames.HtmlPart)} or {Expected(template, NotificationTemplateNames.TextPart)}");
        }
        var renderedSubject = subject is { Length: > 0 }
            ? subject
            : CollapseWhitespace(Require(template, NotificationTemplateNames.SubjectPart).Render(data, NullEncoder.Default));
        return new RenderedEmail(renderedSubject, html?.Render(data, Html), text?.Render(data, NullEncoder.Default).Trim());
    }

    private ParsedPart? Find(string template, string part) => parts.GetValueOrDefault((template, part));

    private ParsedPart Require(string template, string part) =>
        Find(template, part) ?? throw new NotificationTemplateException($"no template '{template}' for {part}: expected the file {Expected(template, part)}");

    private string Expected(string template, string part) => Path.Combine(Directory, NotificationTemplateNames.FileName(template, part));

    private static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private sealed record ParsedPart(string Path, IFluidTemplate Template)
    {
        public string Render(IReadOnlyDictionary<string, string> data, TextEncoder encoder)
        {
            var options = new TemplateOptions { StrictVariables = true, StrictFilters = true };
            options.Filters.AddFilter(MoneyFilter.Name, MoneyFilter.Format);
            var context = new TemplateContext(options);
            foreach (var key in NotificationData.Keys)
            {
                context.SetValue(key, "");
            }
            foreach (var (key, value) in data)
            {
                context.SetValue(key, value ?? "");
            }
            try
            {
                return Template.Render(context, encoder);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FluidException or FormatException or ArgumentException)
            {
                throw new NotificationTemplateException($"{Path}: {ex.Message}", ex);
            }
        }
    }
}
