namespace Nono.Sandbox.Persistence;

/// <summary>
/// Files and directories under the home directory that the user's own programs run or read commands
/// from without asking: git's global configuration, shell start-up files, desktop autostart entries
/// and systemd user units. Protected only where a writable grant covers them.
/// </summary>
public static class HomeStartupFiles
{
    public static IReadOnlyList<(string Relative, bool IsDirectory, string Reason)> Table { get; } =
    [
        (".gitconfig", false, "git's global configuration: hooks, pager, editor, fsmonitor and aliases for every repository"),
        (".config/git", true, "git's global configuration, attributes and ignore files for every repository"),
        (".bashrc", false, "bash runs it in every interactive shell"),
        (".bash_profile", false, "bash runs it in every login shell"),
        (".bash_login", false, "bash runs it in login shells when .bash_profile is absent"),
        (".profile", false, "login shells run it"),
        (".bash_logout", false, "bash runs it when a login shell exits"),
        (".zshenv", false, "zsh runs it in every shell"),
        (".zprofile", false, "zsh runs it in every login shell"),
        (".zshrc", false, "zsh runs it in every interactive shell"),
        (".zlogin", false, "zsh runs it in every login shell"),
        (".zlogout", false, "zsh runs it when a login shell exits"),
        (".kshrc", false, "ksh runs it in interactive shells"),
        (".mkshrc", false, "mksh runs it in interactive shells"),
        (".cshrc", false, "csh and tcsh run it in every shell"),
        (".tcshrc", false, "tcsh runs it in every shell"),
        (".login", false, "csh and tcsh run it in login shells"),
        (".inputrc", false, "readline reads key bindings (and macros that type commands) from it"),
        (".xprofile", false, "the display manager runs it at graphical login"),
        (".xsessionrc", false, "the X session runs it at graphical login"),
        (".xinitrc", false, "startx runs it"),
        (".config/fish", true, "fish runs config.fish, conf.d and functions from it"),
        (".config/autostart", true, "the desktop session starts every entry in it at login"),
        (".config/systemd/user", true, "systemd starts the user units in it"),
        (".local/share/systemd/user", true, "systemd starts the user units in it"),
        (".config/environment.d", true, "systemd sets the user session's environment (LD_PRELOAD, PATH) from it"),
    ];
}
