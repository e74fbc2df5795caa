using System.IO.Abstractions;
using System.Text;
using System.Text.RegularExpressions;

namespace Router.Core.Config.Secrets;

/// <summary>A scalar's text after its <c>${env:…}</c> and <c>${file:…}</c> references were replaced.</summary>
/// <param name="Errors">One message per reference that could not be resolved; they name the variable or file, never a value.</param>
internal sealed record ResolvedText(string Value, bool HasReference, IReadOnlyList<string> Errors)
{
    /// <summary>The values that came from references, so diagnostics can be scrubbed of them.</summary>
    public IReadOnlyList<string> SecretParts { get; init; } = [];
}

/// <summary>
/// Resolves secret references inside a scalar. Only <c>${word:…}</c> counts as a reference, so JavaScript template
/// literals in expressions (<c>`order:${$.number}`</c>) pass through; <c>$${</c> always stands for a literal <c>${</c>.
/// </summary>
internal sealed partial class SecretReferenceResolver(IFileSystem fileSystem, Func<string, string?> environment)
{
    /// <summary>Secret files hold a password or a key, not data; a big one is almost certainly the wrong file.</summary>
    public const long MaxSecretFileBytes = 1024 * 1024;

    [GeneratedRegex(@"\G\$\{(?<scheme>[A-Za-z]+):(?<argument>[^}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    [GeneratedRegex(@"\G\$\{(?<scheme>[A-Za-z]+):", RegexOptions.CultureInvariant)]
    private static partial Regex UnterminatedReference();

    /// <param name="directory">Directory of the file holding the scalar: <c>${file:…}</c> is relative to it.</param>
    public ResolvedText Resolve(string text, string directory)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return new ResolvedText(text, false, []);
        }
        var result = new StringBuilder(text.Length);
        var errors = new List<string>();
        var secrets = new List<string>();
        var hasReference = false;
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "$${", 0, 3) == 0)
            {
                result.Append("${");
                i += 3;
                continue;
            }
            if (string.CompareOrdinal(text, i, "${", 0, 2) == 0)
            {
                var reference = Reference().Match(text, i);
                if (reference.Success)
                {
                    hasReference = true;
                    var value = Lookup(reference.Groups["scheme"].Value, reference.Groups["argument"].Value.Trim(), directory, errors);
                    if (value is not null)
                    {
                        result.Append(value);
                        secrets.Add(value);
                    }
                    i += reference.Length;
                    continue;
                }
                var unterminated = UnterminatedReference().Match(text, i);
                if (unterminated.Success)
                {
                    hasReference = true;
                    errors.Add($"the reference '${{{unterminated.Groups["scheme"].Value}:…' has no closing '}}'");
                    break;
                }
            }
            result.Append(text[i]);
            i++;
        }
        return new ResolvedText(result.ToString(), hasReference, errors) { SecretParts = secrets };
    }

    private string? Lookup(string scheme, string argument, string directory, List<string> errors)
    {
        switch (scheme)
        {
            case "env" when argument.Length == 0:
                errors.Add("'${env:}' names no environment variable");
                return null;
            case "env":
                var value = environment(argument);
                if (value is null)
                {
                    errors.Add($"environment variable '{argument}' is not set");
                }
                return value;
            case "file" when argument.Length == 0:
                errors.Add("'${file:}' names no file");
                return null;
            case "file":
                return ReadSecretFile(argument, directory, errors);
            default:
                var hint = Validation.Suggestions.DidYouMean(scheme, ["env", "file"]);
                errors.Add($"unknown reference '${{{scheme}:…}}'{hint}: use ${{env:NAME}} or ${{file:path}}, or write $${{ for a literal ${{");
                return null;
        }
    }

    private string? ReadSecretFile(string path, string directory, List<string> errors)
    {
        var fullPath = fileSystem.Path.GetFullPath(fileSystem.Path.Combine(directory, path));
        try
        {
            if (!fileSystem.File.Exists(fullPath))
            {
                errors.Add($"secret file '{path}' does not exist (looked for {fullPath})");
                return null;
            }
            if (fileSystem.FileInfo.New(fullPath).Length > MaxSecretFileBytes)
            {
                errors.Add($"secret file '{path}' is larger than 1 MB");
                return null;
            }
            var content = fileSystem.File.ReadAllText(fullPath);
            // Editors end files with a newline that is not part of the password.
            return content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2]
                : content.EndsWith('\n') ? content[..^1]
                : content;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"secret file '{path}' cannot be read: {e.GetType().Name}");
            return null;
        }
    }
}
