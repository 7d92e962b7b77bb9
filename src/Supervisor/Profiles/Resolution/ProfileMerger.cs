namespace Nono.Supervisor.Profiles;

/// <summary>
/// Combines a lower layer (a parent profile, or everything below) with an upper one, key by key as
/// the key table says: lists are concatenated without duplicates, scalars set in the upper layer
/// override, maps (<c>custom_credentials</c>, <c>set_vars</c>, <c>security</c>) merge by key with the
/// upper entry replacing the lower. <c>extends</c> is resolved before layers merge and is not carried.
/// </summary>
internal static class ProfileMerger
{
    public static ProfileSpec Merge(ProfileSpec lower, ProfileSpec upper)
    {
        var merged = ProfileKeys.Fields.Aggregate(ProfileSpec.Empty, (spec, field) => field.Merge(spec, lower, upper));
        return merged with { Warnings = [.. lower.Warnings, .. upper.Warnings] };
    }
}
