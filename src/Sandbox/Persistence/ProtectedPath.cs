namespace Nono.Sandbox.Persistence;

/// <summary>How a path that runs code later is kept from the sandboxed program.</summary>
public enum Protection
{
    /// <summary>Read-only bind mount over the path: its content cannot change, and it cannot be renamed or removed.</summary>
    ReadOnly,

    /// <summary>The directory is bind-mounted on itself, writable: its content may change, but the directory
    /// cannot be renamed or removed, so nothing can take its place (and with it the read-only paths inside).</summary>
    Pinned,

    /// <summary>Absent when the session starts, so there is nothing to mount over: if it appears, it is reported
    /// and moved aside when the session ends.</summary>
    Watched,
}

/// <summary>One row of the table of paths inside writable grants that another program later runs
/// or reads commands from without asking.</summary>
/// <param name="Create">Absent directory that nono creates (empty) before the session so it can be made read-only.</param>
public sealed record ProtectedPath(string Path, Protection Protection, bool IsDirectory, string Reason, bool Create = false)
{
    public override string ToString()
    {
        var how = Protection switch
        {
            Protection.ReadOnly => Create ? "read-only (created empty)" : "read-only",
            Protection.Pinned => "cannot be renamed or removed",
            _ => "absent; reported and moved aside if created",
        };
        return $"{Path} ({how}): {Reason}";
    }
}
