using System.Text;
using System.Text.Json;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Control;

/// <summary>
/// `nono run --save-profile FILE`: at the end of the session, a profile that extends the one the
/// session used and adds the hosts allowed during it (`nono allow`, minus what `nono deny` took
/// back), so the next run starts with what this one learned. A profile given by path is extended by
/// its absolute path, so the new file works from any directory. Written whole and then renamed into
/// place, so a reader never sees half a profile.
/// </summary>
internal static class LearnedProfile
{
    public static void Save(string file, SessionRequest request, IReadOnlyList<string> allowedHosts)
    {
        var extends = Extends(request);
        var temporary = file + ".nono-partial";
        try
        {
            File.WriteAllText(temporary, Json(extends, allowedHosts), new UTF8Encoding(false));
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"nono: cannot write the profile {file}: {error.Message}");
            TryDelete(temporary);
            return;
        }

        var added = allowedHosts.Count == 0 ? "no host was allowed during the session" : $"adds {string.Join(", ", allowedHosts)}";
        Console.Error.WriteLine($"nono: saved profile {file} (extends {extends}; {added}); use it with --profile {file}");
    }

    /// <summary>The profile JSON: <c>extends</c> and <c>network.allow_domain</c>.</summary>
    public static string Json(string extends, IReadOnlyList<string> allowedHosts)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("extends", extends);
            writer.WriteStartObject("network");
            writer.WriteStartArray("allow_domain");
            foreach (var host in allowedHosts)
            {
                writer.WriteStringValue(host);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Extends(SessionRequest request)
    {
        var profile = request.Flags.Profile ?? SessionResolver.DefaultProfile;
        return ProfileStore.LooksLikePath(profile) && !profile.StartsWith('~')
            ? Path.GetFullPath(profile, request.WorkingDirectory)
            : profile;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the error was reported.
        }
    }
}
