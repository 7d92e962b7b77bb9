using System.CommandLine;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Cli;

/// <summary><c>nono profile list</c> and <c>nono profile show NAME</c>.</summary>
internal static class ProfileCommand
{
    /// <param name="host">Supplies the caller's home, working and config directories; tests pass temporary ones.</param>
    public static Command Create(Func<HostEnvironment>? host = null)
    {
        var hostFactory = host ?? (() => HostEnvironment.FromProcess());

        var list = new Command("list", "List the profiles that can be named: your own (in $XDG_CONFIG_HOME/nono/profiles) and the built-in ones.");
        list.SetAction(parse => Run(parse, output => List(output, new ProfileStore(hostFactory()))));

        var name = new Argument<string>("name") { Description = "A profile name, or a path to a .json/.jsonc file." };
        var show = new Command("show", "Print a profile with its 'extends' followed and all layers merged (the base layer included), as JSON in the profile format.");
        show.Add(name);
        show.SetAction(parse => Run(parse, output =>
        {
            var resolved = ProfileResolver.Resolve(new ProfileStore(hostFactory()), parse.GetRequiredValue(name));
            output.Write(ProfileJsonWriter.Write(resolved.Spec));
        }));

        var file = new Argument<string>("file") { Description = "A profile file (.json/.jsonc), for example one written for nono 0.74." };
        var check = new Command("check", "Say for every key of a profile file whether it is enforced, ignored with a warning, or refused, then load it. Exits 2 when the profile would be refused.");
        check.Add(file);
        check.SetAction(parse => Check(parse, parse.GetRequiredValue(file), hostFactory));

        var profile = new Command("profile", "List, inspect and check sandbox profiles.");
        profile.Add(list);
        profile.Add(show);
        profile.Add(check);
        return profile;
    }

    private static void List(TextWriter output, ProfileStore store)
    {
        var rows = store.List()
            .Select(entry => (
                entry.Name,
                Source: entry.Source.Origin == ProfileOrigin.BuiltIn
                    ? entry.Shadowed ? "built-in (overridden by a user file)" : "built-in"
                    : $"user: {entry.Source.FilePath}",
                Description: entry.Error is { } error ? $"INVALID: {error}" : entry.Description))
            .ToList();
        var nameWidth = rows.Select(r => r.Name.Length).Append(4).Max() + 2;
        var sourceWidth = rows.Select(r => r.Source.Length).Append(6).Max() + 2;
        output.WriteLine($"{"NAME".PadRight(nameWidth)}{"SOURCE".PadRight(sourceWidth)}DESCRIPTION");
        foreach (var (rowName, source, description) in rows)
        {
            output.WriteLine($"{rowName.PadRight(nameWidth)}{source.PadRight(sourceWidth)}{description}");
        }
    }

    private static int Check(ParseResult parse, string file, Func<HostEnvironment> hostFactory)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var path = Path.GetFullPath(file);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"nono: {path}: cannot read the profile: {failure.Message}");
            return ExitCodes.Usage;
        }

        try
        {
            var refused = false;
            foreach (var report in ProfileCheck.Keys(bytes, path))
            {
                var label = report.Class switch
                {
                    KeyClass.Enforced => "enforced",
                    KeyClass.Ignored => "ignored",
                    KeyClass.Refused => "REFUSED",
                    _ => "UNKNOWN",
                };
                refused |= report.Class is KeyClass.Refused or null;
                output.WriteLine($"{label,-9} {report.Path} ({report.Where.Line}:{report.Where.Column}): {report.Meaning}");
            }

            var resolved = SessionResolver.Resolve(hostFactory(), new SessionFlags { Profile = path }, SessionScope.Full);
            foreach (var notice in resolved.Notices)
            {
                output.WriteLine($"note: {notice}");
            }

            output.WriteLine(refused ? "result: refused (see the REFUSED and UNKNOWN keys above)" : "result: loads; every key above is enforced or ignored as shown");
            return refused ? ExitCodes.Usage : 0;
        }
        catch (ProfileException failure)
        {
            output.WriteLine($"result: refused: {failure.Message}");
            return ExitCodes.Usage;
        }
    }

    private static int Run(ParseResult parse, Action<TextWriter> action)
    {
        var configuration = parse.InvocationConfiguration;
        try
        {
            action(configuration.Output);
            return 0;
        }
        catch (ProfileException error)
        {
            configuration.Error.WriteLine($"nono: {error.Message}");
            return 1;
        }
    }
}
