using System.IO.Abstractions;
using Microsoft.Extensions.FileSystemGlobbing;
using Router.Core.Config.Nodes;

namespace Router.Core.Config.Includes;

/// <summary>A file named by an <c>include:</c> entry.</summary>
/// <param name="DisplayPath">The path as diagnostics show it: the including file's path joined with what matched.</param>
internal sealed record IncludedFile(string DisplayPath, string FullPath);

/// <summary>
/// Turns one <c>include:</c> entry into files. Globs are relative to the including file; a glob that matches
/// nothing is a warning (a folder of optional routes may be empty), a plain path that does not exist is an error.
/// </summary>
internal sealed class IncludeExpander(IFileSystem fileSystem)
{
    private static readonly char[] Wildcards = ['*', '?', '[', '{'];

    public IReadOnlyList<IncludedFile> Expand(string pattern, string includingDisplayPath, string includingFullPath, SourceMark mark, DiagnosticBag diagnostics)
    {
        var path = fileSystem.Path;
        var normalized = pattern.Trim().Replace('\\', '/');
        var fullDirectory = path.GetDirectoryName(includingFullPath) ?? "";
        // An absolute pattern is shown as written, not under the including file's folder.
        var displayDirectory = path.IsPathRooted(normalized) ? "" : path.GetDirectoryName(includingDisplayPath) ?? "";
        var segments = normalized.Split('/');
        var literalCount = segments.TakeWhile(s => s.IndexOfAny(Wildcards) < 0).Count();

        if (literalCount == segments.Length)
        {
            var fullPath = path.GetFullPath(path.Combine(fullDirectory, normalized));
            if (!fileSystem.File.Exists(fullPath))
            {
                diagnostics.Error(mark, $"included file '{pattern}' does not exist (looked for {fullPath})");
                return [];
            }
            return [new IncludedFile(Join(displayDirectory, normalized), fullPath)];
        }

        var prefix = string.Join('/', segments.Take(literalCount));
        var rest = string.Join('/', segments.Skip(literalCount));
        var root = path.GetFullPath(path.Combine(fullDirectory, prefix.Length == 0 ? "." : prefix));
        if (!fileSystem.Directory.Exists(root))
        {
            diagnostics.Warning(mark, $"include pattern '{pattern}' matches no file (folder {root} does not exist)");
            return [];
        }
        var deep = rest.Contains('/') || rest.Contains("**", StringComparison.Ordinal);
        var candidates = fileSystem.Directory.EnumerateFiles(root, "*", deep ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly);
        var matcher = new Matcher(OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        matcher.AddInclude(rest);
        var matches = matcher.Match(root, candidates).Files
            .Select(f => f.Path)
            .Order(StringComparer.Ordinal)
            .Select(relative => new IncludedFile(Join(displayDirectory, prefix, relative), path.GetFullPath(path.Combine(root, relative))))
            .ToList();
        if (matches.Count == 0)
        {
            diagnostics.Warning(mark, $"include pattern '{pattern}' matches no file");
        }
        return matches;
    }

    private string Join(params string[] parts) =>
        fileSystem.Path.Join(parts.Where(p => p.Length > 0).ToArray()).Replace('\\', '/');
}
