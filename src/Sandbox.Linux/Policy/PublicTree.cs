using System.Runtime.InteropServices;
using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Policy;

/// <summary>
/// Read grants for the world-readable part of a tree. Dropping every capability does not stop
/// root from reading a 0600 root-owned file: it reads it as the file's owner. So a grant on a
/// directory would hand over each owner-only file below it, and only content that every user may
/// read is granted. A directory whose whole content is public (files world-readable, directories
/// world-readable and world-searchable) gets one grant; any other is split into grants for its
/// public entries, recursively, so grants stay few where nothing needs hiding.
/// </summary>
/// <remarks>
/// The walk does not follow symbolic links: inside a directory granted whole a link is only a
/// name, and what it leads to needs its own grant. A link that must be granted by itself (an
/// entry the caller names, or one inside a split directory) is followed, because Landlock grants
/// what the link leads to, and is granted only as far as that is public.
/// </remarks>
internal sealed class PublicTree
{
    /// <summary>Bounds that keep a pathological tree (a deep one, or a link cycle) from stalling
    /// every launch; what lies beyond them is not granted.</summary>
    private const int MaxDepth = 32;
    private const int MaxEntries = 50_000;

    private readonly List<FsGrant> _grants = [];
    private int _examined;

    public IReadOnlyList<FsGrant> Grants => _grants;

    /// <summary>Adds the grants for <paramref name="path"/>, a file or directory (a link is followed).</summary>
    public void Add(string path) => AddAlone(path, depth: 0);

    private void AddAlone(string path, int depth)
    {
        if (StatMode.Of(path, followLinks: true) is not { } mode)
        {
            return; // missing, or a dangling link
        }

        if (!StatMode.IsDirectory(mode))
        {
            if (IsPublic(mode))
            {
                _grants.Add(FsGrant.File(path, FsAccess.Read));
            }
        }
        else if (IsPublicDirectory(mode) && Walk(Posix.Open(path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec, 0), path, depth))
        {
            _grants.Add(FsGrant.Directory(path, FsAccess.Read));
        }
    }

    /// <summary>True when everything below the directory open on <paramref name="fd"/> (which this
    /// call closes) is public; nothing has been added then (the caller grants it whole, or as part
    /// of its parent). Otherwise the grants for its public parts have been added.</summary>
    private unsafe bool Walk(int fd, string directory, int depth)
    {
        if (fd < 0)
        {
            return false;
        }

        var stream = Libc.FdOpenDir(fd);
        if (stream == 0)
        {
            Posix.Close(fd);
            return false;
        }

        // Entries public in themselves: granted one by one only if this directory is split.
        List<(string Path, bool IsDirectory, bool IsLink)>? whole = null;
        var allPublic = true;
        try
        {
            // readdir returns null both at the end and on an error; only errno tells them apart, and an
            // unread remainder must not count as public.
            Marshal.SetLastPInvokeError(0);
            while (Libc.ReadDir(stream) is var entry && entry is not null)
            {
                var name = entry + Libc.DirentNameOffset;
                if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
                {
                    continue;
                }

                if (++_examined > MaxEntries || depth >= MaxDepth)
                {
                    return false;
                }

                // Links are most of /etc and public as names: the type from the directory saves examining them.
                var mode = entry[Libc.DirentTypeOffset] == Libc.DirentTypeLink ? StatMode.SymbolicLink : StatMode.Of(fd, name);
                if (mode is null)
                {
                    continue; // vanished while walking
                }

                var path = Path.Join(directory, Marshal.PtrToStringUTF8((nint)name));
                var isLink = StatMode.IsSymbolicLink(mode.Value);
                var isDirectory = StatMode.IsDirectory(mode.Value);
                var isPublic = isLink || (isDirectory
                    ? IsPublicDirectory(mode.Value) && Walk(Libc.OpenAt(fd, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0), path, depth + 1)
                    : IsPublic(mode.Value));
                if (isPublic)
                {
                    (whole ??= []).Add((path, isDirectory, isLink));
                }
                else
                {
                    allPublic = false;
                }
            }
        }
        finally
        {
            if (Marshal.GetLastPInvokeError() != 0)
            {
                allPublic = false;
            }

            Libc.CloseDir(stream);
        }

        if (allPublic)
        {
            return true;
        }

        foreach (var (path, isDirectory, isLink) in whole ?? [])
        {
            if (isLink)
            {
                AddAlone(path, depth + 1);
            }
            else
            {
                _grants.Add(isDirectory ? FsGrant.Directory(path, FsAccess.Read) : FsGrant.File(path, FsAccess.Read));
            }
        }

        return false;
    }

    private static bool IsPublic(int mode) => (mode & StatMode.OtherRead) != 0;

    private static bool IsPublicDirectory(int mode) => IsPublic(mode) && (mode & StatMode.OtherExecute) != 0;
}
