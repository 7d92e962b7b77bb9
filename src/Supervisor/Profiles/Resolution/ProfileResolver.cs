namespace Nono.Supervisor.Profiles;

/// <summary>A profile with its <c>extends</c> followed and every layer merged, base layer included.</summary>
internal sealed record ResolvedProfile(string Name, IReadOnlyList<ProfileSource> Layers, ProfileSpec Spec);

/// <summary>
/// Follows <c>extends</c> depth-first and merges the layers so that each profile is applied once,
/// after all of its parents (so a diamond does not re-apply a shared parent over an override).
/// Cycles and chains deeper than <see cref="MaxDepth"/> are errors naming the profiles involved.
/// </summary>
internal static class ProfileResolver
{
    public const int MaxDepth = 16;

    public static ResolvedProfile Resolve(ProfileStore store, string reference) =>
        Resolve(store, store.Load(reference));

    public static ResolvedProfile Resolve(ProfileStore store, LoadedProfile top)
    {
        var order = new List<LoadedProfile> { BuiltInProfiles.Base() };
        var done = new HashSet<string>(StringComparer.Ordinal) { order[0].Source.Identity };
        Visit(store, top, [], done, order);

        var merged = ProfileExpansion.Expand(order.Aggregate(ProfileSpec.Empty, (lower, layer) => ProfileMerger.Merge(lower, layer.Spec)));
        return new ResolvedProfile(top.Source.Name, [.. order.Select(layer => layer.Source)], merged);
    }

    private static void Visit(ProfileStore store, LoadedProfile profile, List<LoadedProfile> path, HashSet<string> done, List<LoadedProfile> order)
    {
        if (done.Contains(profile.Source.Identity))
        {
            return;
        }

        path.Add(profile);
        foreach (var parent in profile.Spec.Extends)
        {
            var loaded = store.Load(parent.Value, parent.Where, profile.Source);
            var cycleStart = path.FindIndex(p => p.Source.Identity == loaded.Source.Identity);
            if (cycleStart >= 0)
            {
                var cycle = path.Skip(cycleStart).Append(loaded).Select(p => p.Source.ToString());
                throw ProfileException.At(parent.Where, $"extends cycle: {string.Join(" -> ", cycle)}; remove one of these 'extends'");
            }

            if (path.Count >= MaxDepth)
            {
                throw ProfileException.At(parent.Where, $"'extends' is nested more than {MaxDepth} levels deep ({string.Join(" -> ", path.Select(p => p.Source.Name))} -> ...)");
            }

            Visit(store, loaded, path, done, order);
        }

        path.RemoveAt(path.Count - 1);
        done.Add(profile.Source.Identity);
        order.Add(profile);
    }
}
