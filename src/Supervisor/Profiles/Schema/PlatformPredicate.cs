using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// nono's <c>when</c> predicates: <c>linux</c>, <c>macos</c>, or a list of them (any one matching).
/// Version and distribution qualifiers (<c>macos:&gt;=15</c>) cannot be checked here and are refused,
/// so that an entry meant for one system is never applied to another by guess.
/// </summary>
internal static class PlatformPredicate
{
    public static string Current => OperatingSystem.IsMacOS() ? "macos" : OperatingSystem.IsLinux() ? "linux" : "other";

    public static bool Matches(JNode node, string path)
    {
        var items = node switch
        {
            JString one => new List<JString> { one },
            JArray many when many.Items.Count > 0 && many.Items.All(item => item is JString) => many.Items.Cast<JString>().ToList(),
            _ => throw ProfileException.At(node.Where, $"'{path}' must be a platform name (linux, macos) or a list of them, not {node.Describe}"),
        };

        var matched = false;
        foreach (var item in items)
        {
            if (item.Value is not ("linux" or "macos" or "windows"))
            {
                throw ProfileException.At(item.Where, $"'{path}': '{item.Value}' is not supported; use linux or macos (version and distribution qualifiers cannot be checked)");
            }

            matched |= item.Value == Current;
        }

        return matched;
    }
}
