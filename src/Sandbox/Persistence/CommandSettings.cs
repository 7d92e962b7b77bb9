namespace Nono.Sandbox.Persistence;

/// <summary>
/// Git configuration variables whose value is a program git runs, or that make git read hooks or
/// more configuration from somewhere else. Written into a repository by a sandboxed program, any
/// of them would run that program's code the next time the user runs an ordinary git command.
/// </summary>
public static class CommandSettings
{
    // section.key (no subsection): the value is a command, or redirects what git runs.
    private static readonly Dictionary<string, string> Plain = new(StringComparer.Ordinal)
    {
        ["core.fsmonitor"] = "git runs it on every status, diff and commit",
        ["core.hookspath"] = "names the directory git runs hooks from",
        ["core.sshcommand"] = "git runs it for every ssh fetch and push",
        ["core.pager"] = "git runs it for log, diff and show",
        ["core.editor"] = "git runs it for commit messages and rebase lists",
        ["core.askpass"] = "git runs it to ask for a password",
        ["core.gitproxy"] = "git runs it for git:// connections",
        ["core.alternaterefscommand"] = "git runs it when it reads alternates",
        ["core.worktree"] = "moves the working tree git checks out into",
        ["sequence.editor"] = "git runs it for interactive rebase",
        ["diff.external"] = "git runs it for every diff",
        ["credential.helper"] = "git runs it for every authenticated fetch and push",
        ["gpg.program"] = "git runs it to sign and verify",
        ["gpg.ssh.defaultkeycommand"] = "git runs it to find a signing key",
        ["uploadpack.packobjectshook"] = "git runs it when serving a fetch",
        ["include.path"] = "reads more configuration from another file",
        ["interactive.difffilter"] = "git runs it for add -p",
        ["web.browser"] = "git runs it for help and instaweb",
        ["man.viewer"] = "git runs it for help",
        ["protocol.allow"] = "can enable the ext:: transport, which runs commands",
        ["ssh.variant"] = "changes the options git passes to the ssh command",
        ["extensions.worktreeconfig"] = "makes git read each worktree's config.worktree",
    };

    // section.<subsection>.key: the same, for any subsection.
    private static readonly Dictionary<string, string> PerSubsection = new(StringComparer.Ordinal)
    {
        ["filter.clean"] = "git runs it when it stages files",
        ["filter.smudge"] = "git runs it when it checks files out",
        ["filter.process"] = "git runs it for every staged or checked-out file",
        ["diff.textconv"] = "git runs it to show diffs",
        ["diff.command"] = "git runs it to show diffs",
        ["merge.driver"] = "git runs it to merge files",
        ["credential.helper"] = "git runs it for authenticated fetch and push",
        ["gpg.program"] = "git runs it to sign and verify",
        ["mergetool.cmd"] = "git runs it for mergetool",
        ["mergetool.path"] = "git runs it for mergetool",
        ["difftool.cmd"] = "git runs it for difftool",
        ["difftool.path"] = "git runs it for difftool",
        ["remote.uploadpack"] = "git runs it to fetch from this remote",
        ["remote.receivepack"] = "git runs it to push to this remote",
        ["remote.vcs"] = "makes git run a remote helper",
        ["remote.proxy"] = "can name a proxy command",
        ["includeif.path"] = "reads more configuration from another file",
        ["hook.command"] = "git runs it as a hook",
        ["browser.cmd"] = "git runs it for help and instaweb",
        ["browser.path"] = "git runs it for help and instaweb",
        ["man.cmd"] = "git runs it for help",
        ["man.path"] = "git runs it for help",
        ["trailer.command"] = "git runs it for interpret-trailers and commit --trailer",
        ["trailer.cmd"] = "git runs it for interpret-trailers and commit --trailer",
        ["tar.command"] = "git runs it for archive",
        ["guitool.cmd"] = "git gui runs it",
        ["protocol.allow"] = "can enable a transport that runs commands",
        ["sendemail.tocmd"] = "git send-email runs it",
        ["sendemail.cccmd"] = "git send-email runs it",
        ["sendemail.headercmd"] = "git send-email runs it",
        ["sendemail.sendmailcmd"] = "git send-email runs it",
    };

    /// <summary>Why <paramref name="entry"/> makes git run something, or null when it does not.</summary>
    public static string? Reason(GitConfigEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var value = entry.Value?.Trim();
        if (entry.Subsection is null)
        {
            if (entry.Section == "alias")
            {
                return null;
            }

            if (entry.Section == "pager")
            {
                return IsBoolean(value) ? null : "git runs it as the pager of that command";
            }

            var name = $"{entry.Section}.{entry.Key}";
            if (name is "core.fsmonitor" && IsBoolean(value))
            {
                // true means git's own built-in monitor daemon, false none: neither runs a program of the repository's.
                return null;
            }

            return Plain.GetValueOrDefault(name);
        }

        if (entry.Section == "alias" || (entry.Section == "submodule" && entry.Key == "update"))
        {
            return value is not null && value.StartsWith('!') ? "a '!' value is a shell command git runs" : null;
        }

        return entry.Section == "sendemail" && entry.Key.EndsWith("cmd", StringComparison.Ordinal)
            ? "git send-email runs it"
            : PerSubsection.GetValueOrDefault($"{entry.Section}.{entry.Key}");
    }

    /// <summary>Plain-section aliases (<c>[alias] x = !cmd</c>) have the alias name as key.</summary>
    public static string? AliasReason(GitConfigEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Section == "alias" && entry.Subsection is null && entry.Value?.TrimStart().StartsWith('!') == true
            ? "a '!' alias is a shell command git runs"
            : null;
    }

    /// <summary>Reason for any entry: a command-running variable or a '!' alias.</summary>
    public static string? Of(GitConfigEntry entry) => AliasReason(entry) ?? Reason(entry);

    private static bool IsBoolean(string? value) =>
        value is null || value.Length == 0
        || value.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "1" or "0";
}
