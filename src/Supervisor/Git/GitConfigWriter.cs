using System.Text;

namespace Nono.Supervisor.Git;

/// <summary>
/// Writes sanitised configuration into a directory of its own: each file created new with mode
/// 0400 (never following a link left there), conditional includes as their own files, and the
/// ignore and attributes files git would otherwise look for under the home as copies. Every value
/// and subsection is written quoted and escaped, so nothing read can change the file's structure.
/// </summary>
internal sealed class GitConfigWriter(string directory)
{
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead;

    private const long MaxCopiedBytes = 1 << 20;

    private int _files;

    /// <summary>Writes <paramref name="file"/> as <paramref name="name"/> in the directory; returns its path.</summary>
    public string Write(string name, SanitizedGitFile file, IEnumerable<(string Key, string Path)>? defaultFiles = null)
    {
        var text = new StringBuilder("# Written by nono for this session from your git configuration; see nono's README.\n");
        foreach (var (key, source) in defaultFiles ?? [])
        {
            if (Copy(source) is { } copy)
            {
                Section(text, "core", null);
                Setting(text, key, copy);
            }
        }

        foreach (var item in file.Items)
        {
            switch (item)
            {
                case KeptSetting { Entry: var entry }:
                    Section(text, entry.Section, entry.Subsection);
                    Setting(text, entry.Key, entry.Value);
                    break;
                case CopiedFileSetting { Entry: var entry, SourcePath: var source } when Copy(source) is { } copy:
                    Section(text, "core", null);
                    Setting(text, entry.Key, copy);
                    break;
                case ConditionalInclude { Condition: var condition, File: var included }:
                    var path = Write($"include-{++_files}.gitconfig", included);
                    Section(text, "includeIf", condition);
                    Setting(text, "path", path);
                    break;
            }
        }

        return Create(name, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>A copy of an ignore or attributes file; null (the setting is left out) when it cannot be read or is
    /// too large to be one: git only reads these, so a missing one costs some patterns, not the session.</summary>
    private string? Copy(string source)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(source).Length > MaxCopiedBytes)
            {
                return null;
            }

            bytes = File.ReadAllBytes(source);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Create($"{Path.GetFileName(source).TrimStart('.')}-{++_files}", bytes);
    }

    private string Create(string name, byte[] content)
    {
        var path = Path.Join(directory, name);
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = ReadOnly,
        });
        stream.Write(content);
        return path;
    }

    private static void Section(StringBuilder text, string section, string? subsection) =>
        text.Append('[').Append(section).Append(subsection is null ? string.Empty : $" {Quote(subsection, escapeControls: false)}").Append("]\n");

    private static void Setting(StringBuilder text, string key, string? value) =>
        text.Append('\t').Append(key).Append(value is null ? "\n" : $" = {Quote(value, escapeControls: true)}\n");

    private static string Quote(string value, bool escapeControls)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' when escapeControls => "\\n",
                '\t' when escapeControls => "\\t",
                '\b' when escapeControls => "\\b",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
