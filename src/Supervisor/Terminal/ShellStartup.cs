namespace Nono.Supervisor.Terminal;

/// <summary>How to start an interactive shell in the sandbox: its arguments and variables.</summary>
internal sealed record ShellLaunch(IReadOnlyList<string> Arguments, IReadOnlyList<KeyValuePair<string, string>> Variables);

/// <summary>
/// `nono shell` starts the user's shell with a start-up file of nono's instead of the user's own
/// (~/.bashrc, ~/.zshrc, config.fish), which the sandbox does not grant and which could put back what
/// the sandbox takes away (agent sockets, tokens exported from a file). The file sources nothing,
/// turns off saving history (the history files are hidden) and marks the prompt, so it is always
/// clear which shell is the sandboxed one. The files are written 0400 into the session's temp directory.
/// </summary>
internal static class ShellStartup
{
    /// <summary>Shown at the start of the prompt.</summary>
    public const string Marker = "(nono)";

    private const string DirectoryName = "nono-shell";

    /// <summary>The launch for the shell at <paramref name="shell"/>, or null for a program nono does not know as a shell.</summary>
    public static ShellLaunch? Prepare(string shell, string sessionTemp)
    {
        var name = Path.GetFileName(shell);
        return name switch
        {
            "bash" => new ShellLaunch(["--rcfile", Write(sessionTemp, "bashrc", $"unset HISTFILE\nPS1='{Marker} \\u@\\h:\\w\\$ '\n")], []),
            "zsh" => new ShellLaunch([], [new("ZDOTDIR", Directory(sessionTemp, Write(sessionTemp, ".zshrc", $"unset HISTFILE\nPROMPT='{Marker} %n@%m:%~%# '\n")))]),
            "fish" => new ShellLaunch(
                ["--no-config", "--private", "--init-command", $"function fish_prompt; echo -n '{Marker} '(prompt_pwd)'> '; end"],
                []),

            // POSIX shells (dash, ash, ksh, bash as sh) read the file $ENV names when interactive.
            "sh" or "dash" or "ash" or "ksh" or "mksh" => new ShellLaunch([], [new("ENV", Write(sessionTemp, "shrc", $"PS1='{Marker} $ '\n"))]),
            _ => null,
        };
    }

    private static string Directory(string sessionTemp, string file) => Path.GetDirectoryName(file) ?? sessionTemp;

    private static string Write(string sessionTemp, string name, string content)
    {
        var directory = Path.Join(sessionTemp, DirectoryName);
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Join(directory, name);
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead,
        });
        stream.Write(System.Text.Encoding.UTF8.GetBytes("# Written by nono for this sandboxed shell; it reads none of your start-up files.\n" + content));
        return path;
    }
}
