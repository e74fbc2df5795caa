using System.IO.Abstractions;
using Router.Core.Config;
using Router.Core.Config.Nodes;
using Router.Core.Failures;
using Router.Transformers.Templates;

namespace Router.Endpoints.Notifications;

/// <summary>The <c>templates</c> option the sms and email kinds share: where the notification templates are.</summary>
public static class TemplateDirectory
{
    public const string OptionKey = "templates";

    /// <summary>Next to the config file, so <c>config/router.yaml</c> finds <c>config/templates/</c>.</summary>
    public const string Default = "templates";

    public const string TemplateRenderFailed = "template";

    public static string Resolve(ConfigMapping options, Func<string, string> resolvePath) =>
        resolvePath(options.GetString(OptionKey, Default));

    /// <summary>Loads the templates; a broken or missing directory is a config error at the option.</summary>
    public static NotificationTemplates Load(IFileSystem fileSystem, ConfigMapping options, Func<string, string> resolvePath)
    {
        var directory = Resolve(options, resolvePath);
        try
        {
            return NotificationTemplates.Load(fileSystem, directory);
        }
        catch (NotificationTemplateException ex)
        {
            throw new ConfigException(options[OptionKey]?.Mark ?? options.Mark, ex.Message);
        }
    }

    /// <summary>For validate: the problems loading would find, relative to the file the endpoint is declared in.</summary>
    public static IEnumerable<ConfigException> Check(ConfigMapping options)
    {
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(options.Mark.File)) ?? ".";
        var fileSystem = new FileSystem();
        try
        {
            Load(fileSystem, options, path => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path)));
        }
        catch (ConfigException ex)
        {
            return [ex];
        }
        return [];
    }

    /// <summary>A template that cannot be rendered is a permanent failure: no retry changes the file or the data.</summary>
    public static T Render<T>(Func<T> render)
    {
        try
        {
            return render();
        }
        catch (NotificationTemplateException ex)
        {
            throw new PermanentFailureException(TemplateRenderFailed, ex.Message, ex);
        }
    }
}
