using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Namespaces;

/// <summary>
/// Landlock cannot take away part of a granted tree, so a deny inside a grant is enforced in the
/// child's own mount namespace: an empty read-only tmpfs over a directory, /dev/null mounted
/// read-only with nodev over a file (any open of it then fails with EACCES). Denies outside every
/// grant need nothing: Landlock already refuses them.
/// </summary>
internal static class PathMasks
{
    private const nuint MsRdonly = 1;
    private const nuint MsNosuid = 2;
    private const nuint MsNodev = 4;
    private const nuint MsNoexec = 8;
    private const nuint MsRemount = 32;
    private const nuint MsBind = 4096;
    private const nuint MsRec = 16384;
    private const nuint MsPrivate = 1 << 18;

    /// <summary>The masks a policy needs. Throws <see cref="PolicyException"/> when a path is both
    /// granted and denied. Denied paths that do not exist cannot be mounted over and are skipped.</summary>
    public static IReadOnlyList<PathMask> Compute(SandboxPolicy policy)
    {
        var masks = new List<PathMask>();
        foreach (var deny in policy.Denies.Distinct(StringComparer.Ordinal))
        {
            foreach (var grant in policy.Grants)
            {
                if (PathUtil.IsSameOrBelow(grant.Path, deny))
                {
                    throw new PolicyException(
                        $"'{grant.Path}' is granted but '{deny}' is denied and covers it; remove one of the two.");
                }
            }

            var covered = policy.Grants.Any(grant => grant.Target == FsTarget.Directory && PathUtil.IsSameOrBelow(deny, grant.Path));
            if (!covered)
            {
                continue;
            }

            if (Directory.Exists(deny))
            {
                masks.Add(new PathMask(deny, IsDirectory: true));
            }
            else if (File.Exists(deny))
            {
                masks.Add(new PathMask(deny, IsDirectory: false));
            }
            else if (policy.Grants.FirstOrDefault(grant => grant.Target == FsTarget.Directory
                && grant.Access.HasFlag(FsAccess.Write) && PathUtil.IsSameOrBelow(deny, grant.Path)) is { } writable)
            {
                // Nothing to mount over yet, and the child could create it (an authorized_keys, a
                // docker config naming a credential helper) for the host to use later.
                throw new PolicyException(
                    $"'{deny}' is denied but does not exist, and the writable grant '{writable.Path}' would let the program create it; " +
                    $"create it first (mkdir -m 700 '{deny}' or touch it) so nono can hide it, or grant a narrower directory.");
            }
        }

        return masks;
    }

    /// <summary>Mounts every mask. Needs CAP_SYS_ADMIN in the child's own user and mount namespace.</summary>
    public static void Apply(IReadOnlyList<PathMask> masks)
    {
        if (masks.Count == 0)
        {
            return;
        }

        // Nothing mounted here may propagate back to the host's mount namespace.
        if (Libc.Mount(null, "/", null, MsRec | MsPrivate, null) != 0)
        {
            throw new SandboxSetupException("make mounts private (mount --make-rprivate /)", Errno.Last);
        }

        foreach (var mask in masks)
        {
            if (mask.IsDirectory)
            {
                if (Libc.Mount("tmpfs", mask.Path, "tmpfs", MsRdonly | MsNosuid | MsNodev | MsNoexec, "size=4k,nr_inodes=2,mode=0555") != 0)
                {
                    throw new SandboxSetupException($"mask '{mask.Path}' with an empty tmpfs", Errno.Last);
                }
            }
            else
            {
                if (Libc.Mount("/dev/null", mask.Path, null, MsBind, null) != 0)
                {
                    throw new SandboxSetupException($"mask '{mask.Path}' with /dev/null", Errno.Last);
                }

                if (Libc.Mount(null, mask.Path, null, MsBind | MsRemount | MsRdonly | MsNosuid | MsNodev | MsNoexec, null) != 0)
                {
                    throw new SandboxSetupException($"make the mask over '{mask.Path}' read-only", Errno.Last);
                }
            }
        }
    }
}
