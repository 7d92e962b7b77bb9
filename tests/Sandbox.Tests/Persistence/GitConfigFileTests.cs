using Nono.Sandbox.Persistence;

namespace Nono.Sandbox.Tests.Persistence;

/// <summary>The parser is checked against git itself: for every text, the variables and values must be
/// exactly those `git config --list` reports, and a text git rejects must be rejected.</summary>
public sealed class GitConfigFileTests
{
    public static TheoryData<string> Texts() =>
    [
        "[core]\n\tfsmonitor = /tmp/x\n",
        "[core] fsmonitor = on-header-line\n\tpager = less\n",
        "[CORE]\n\tFsMonitor = upper\n",
        "[filter \"Lfs\"]\n\tclean = git-lfs clean -- %f\n\tsmudge = \"quoted ; not comment\"\n",
        "[alias]\n\tst = status\n\tevil = !sh -c 'touch /tmp/x'\n",
        "[core]\n\tbare\n\teditor = vim # comment\n\tpager = less ; comment\n",
        "[core]\n\teditor = a \\\n  continued\n",
        "[core]\n\teditor = \"a \\\"b\\\" \\\\ \\t \\n\"\n",
        "\uFEFF[core]\r\n\teditor = crlf\r\n",
        "[branch.Main]\n\tremote = origin\n",
        "[remote \"Or\\\"ig\\\\in\"]\n\turl = x\n",
        "# only comments\n; and more\n",
        "[a][b] key = 1\n",
        "[core]\n\teditor =    spaced   value   \n",
        "[core]\neditor=\n",
        "[core]\n\tx-y = 1\n\tz1 = 2\n",
        "[section \"sub\" ]\n\tk = v\n",
        "[core]\n\teditor = \"unterminated\n",
        "[core]\n\teditor = bad \\q escape\n",
        "[core\n\teditor = x\n",
        "[core]\n\t1abc = x\n",
        "[core]\n\tkey junk\n",
        "[sub \"a\nb\"]\n\tk = v\n",
        "key = before-section\n",
        "[core]\n\teditor = a\\\n",
        "[core]\n\teditor = x # c \\\n\tpager = y\n",
        "[core]\n\teditor = \"a\\\nb\"\n",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void Reads_every_text_as_git_does(string text)
    {
        using var git = new Git();
        var file = Path.Join(git.Root, "config");
        File.WriteAllText(file, text);
        var (status, output) = git.Try(git.Root, "config", "--file", file, "--no-includes", "--null", "--list");
        GitConfigFile? parsed = null;
        Exception? error = null;
        try
        {
            parsed = GitConfigFile.Parse(text);
        }
        catch (GitConfigFormatException e)
        {
            error = e;
        }

        if (status != 0)
        {
            Assert.True(error is not null, $"git rejects this text but nono read it: {output}");
            return;
        }

        Assert.True(error is null, $"git reads this text but nono rejected it: {error?.Message}");
        var expected = output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(item => item.IndexOf('\n', StringComparison.Ordinal) is var newline and >= 0 ? $"{item[..newline]}={item[(newline + 1)..]}" : item + "(bare)")
            .ToArray();
        var actual = parsed!.Entries.Select(entry => entry.Value is null ? entry.Name + "(bare)" : $"{entry.Name}={entry.Value}").ToArray();
        Assert.Equal(expected, actual);
    }
}
