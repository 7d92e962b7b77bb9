namespace Nono.Sandbox.MacOS.Profile;

/// <summary>The policy's grants, and the denies written after them so that they win.</summary>
internal static class FileRules
{
    public static void WriteGrants(ProfileWriter profile, FilesystemPlan plan)
    {
        for (var i = 0; i < plan.Grants.Count; i++)
        {
            var (grant, spellings) = (plan.Grants[i].Grant, plan.Grants[i].Spellings);
            profile.Comment($"grant {i + 1}: {Describe(grant.Access)} ({(grant.Target == FsTarget.File ? "file" : "directory")})");
            var filters = spellings
                .Select(path => grant.Target == FsTarget.File ? Sbpl.Literal(path) : Sbpl.Subpath(path))
                .ToList();
            if (grant.Access.HasFlag(FsAccess.Read))
            {
                profile.Allow("file-read* file-test-existence", filters);
            }

            if (grant.Access.HasFlag(FsAccess.Write))
            {
                profile.Allow("file-write*", filters);
            }

            if (grant.Access.HasFlag(FsAccess.Execute))
            {
                // exec* covers running the file and naming it as a script's interpreter; dyld also
                // needs to map the libraries it loads from there as executable.
                profile.Allow("process-exec* file-map-executable", filters);
            }
        }
    }

    public static void WriteDenies(ProfileWriter profile, FilesystemPlan plan)
    {
        profile.Comment("denied paths: credentials under home and the policy's denies, in any letter case");
        foreach (var deny in plan.Denies)
        {
            profile.Deny(
                "file-read* file-test-existence file-write* process-exec*",
                deny.Spellings.Select(Sbpl.Subpath)
                    .Concat(deny.Spellings.Select(path => Sbpl.Regex(CaseFoldPattern.Subtree(path)))));
        }

        // Seatbelt rules name paths, not files: renaming a directory above a denied path would move
        // the denied files to a name no rule covers, and renaming something into its place would plant
        // files there. Where a grant makes that possible, the directories above stay where they are.
        var writable = plan.Grants
            .Where(grant => grant.Grant.Access.HasFlag(FsAccess.Write))
            .SelectMany(grant => grant.Spellings)
            .ToList();
        var pinned = plan.Denies
            .SelectMany(deny => deny.Spellings)
            .SelectMany(PathSpellings.Ancestors)
            .Where(ancestor => writable.Any(root => PathSpellings.IsSameOrBelowAnyCase(ancestor, root)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (pinned.Count > 0)
        {
            profile.Comment("directories above denied paths inside writable grants cannot be renamed, removed or replaced");
            profile.Deny(
                "file-write-unlink file-write-create",
                pinned.Select(Sbpl.Literal).Concat(pinned.Select(path => Sbpl.Regex(CaseFoldPattern.Exact(path)))));
        }
    }

    private static string Describe(FsAccess access) => string.Join(
        ", ",
        new[]
        {
            access.HasFlag(FsAccess.Read) ? "read" : null,
            access.HasFlag(FsAccess.Write) ? "write" : null,
            access.HasFlag(FsAccess.Execute) ? "execute" : null,
        }.OfType<string>());
}
