using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Landlock;

/// <summary>Turns a <see cref="LandlockPlan"/> into a ruleset and enforces it on the calling thread.</summary>
internal static class LandlockEnforcer
{
    /// <summary>Builds the ruleset (opening every granted path) without enforcing it.</summary>
    public static SafeFd Build(LandlockPlan plan)
    {
        var ruleset = LandlockSyscalls.Create(plan.HandledFs, plan.HandledNet, plan.Scoped);
        try
        {
            foreach (var rule in plan.PathRules)
            {
                if (rule.Rights == FsRights.None)
                {
                    continue;
                }

                using var parent = SafeFd.Open(rule.Path, OpenFlags.Path | OpenFlags.CloseOnExec, "open grant");

                // A directory grant that turns out to be a file may carry only file rights;
                // the kernel refuses directory rights on a file with EINVAL.
                var rights = rule.IsFile || !FileKind.IsDirectory(parent, rule.Path)
                    ? rule.Rights & LandlockRights.FileApplicable
                    : rule.Rights;
                if (rights != FsRights.None)
                {
                    LandlockSyscalls.AddPathRule(ruleset, parent, rights, rule.Path);
                }
            }

            foreach (var rule in plan.PortRules)
            {
                LandlockSyscalls.AddPortRule(ruleset, rule.Port, rule.Rights);
            }

            return ruleset;
        }
        catch
        {
            ruleset.Dispose();
            throw;
        }
    }

    /// <summary>Enforces the plan on this thread. The caller must have set no_new_privs.</summary>
    public static void Enforce(LandlockPlan plan)
    {
        using var ruleset = Build(plan);
        LandlockSyscalls.Restrict(ruleset);
    }
}
