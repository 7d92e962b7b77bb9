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

        var profile = new Command("profile", "List and inspect sandbox profiles.");
        profile.Add(list);
        profile.Add(show);
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
