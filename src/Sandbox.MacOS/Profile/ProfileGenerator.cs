namespace Nono.Sandbox.MacOS.Profile;

/// <summary>
/// Writes the whole profile. Seatbelt applies the last rule that matches, so the order is the
/// security argument: deny everything, allow the system baseline, allow the grants and the network
/// the policy asks for, then deny credentials and escapes, which therefore win over every allow.
/// </summary>
internal static class ProfileGenerator
{
    public static string Generate(SandboxPolicy policy, SeatbeltContext context)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(context);
        policy.Validate();
        var plan = FilesystemPlan.Create(policy, context);

        var profile = new ProfileWriter();
        profile.Form("(version 1)");
        profile.Comment("nono sandbox profile: anything not allowed below is refused");
        profile.Form("(deny default)");
        profile.Blank();

        SystemRules.Write(profile);
        ServiceRules.WriteAllow(profile);

        if (plan.Grants.Count > 0)
        {
            FileRules.WriteGrants(profile, plan);
            profile.Blank();
        }

        NetworkRules.Write(profile, policy.Network, plan);

        profile.Comment("everything below wins over the allows above");
        FileRules.WriteDenies(profile, plan);
        NetworkRules.WriteDenies(profile, policy.Network, plan);
        ServiceRules.WriteDenies(profile, plan.KeychainGranted, policy.Network.Mode);
        SystemRules.WriteFinal(profile);
        return profile.ToString();
    }
}
