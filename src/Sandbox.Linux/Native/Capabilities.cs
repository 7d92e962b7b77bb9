using System.Runtime.InteropServices;
using Nono.Interop;

namespace Nono.Sandbox.Linux.Native;

/// <summary>
/// Drops every capability of the calling thread: bounding set, ambient set, then effective,
/// permitted and inheritable. With the bounding set empty and no_new_privs set, not even
/// executing a set-uid or file-capability program (or running as uid 0) can bring one back.
/// </summary>
internal static unsafe partial class Capabilities
{
    private const uint Version3 = 0x20080522;  // _LINUX_CAPABILITY_VERSION_3
    private const int PrCapbsetRead = 23;
    private const int PrCapbsetDrop = 24;
    private const int PrCapAmbient = 47;
    private const int PrCapAmbientClearAll = 4;
    private const int CapSetpcap = 8;

    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    public static void DropAll()
    {
        var lastCap = ReadLastCap();
        var canDropBounding = HasEffective(CapSetpcap);
        for (var cap = 0; cap <= lastCap; cap++)
        {
            if (Libc.Prctl(PrCapbsetRead, (nuint)cap, 0, 0, 0) != 1)
            {
                continue;
            }

            if (!canDropBounding)
            {
                // Without CAP_SETPCAP the bounding set cannot shrink; that is only safe when this
                // thread holds no capability to lose and is not uid 0 (whose execve would refill the
                // permitted set from the bounding set). no_new_privs covers set-uid and file caps.
                if (Posix.GetEuid() == 0)
                {
                    throw new SandboxSetupException("drop the capability bounding set", "running as uid 0 without CAP_SETPCAP");
                }

                break;
            }

            if (Libc.Prctl(PrCapbsetDrop, (nuint)cap, 0, 0, 0) != 0)
            {
                throw new SandboxSetupException($"drop capability {cap} from the bounding set", Errno.Last);
            }
        }

        if (Libc.Prctl(PrCapAmbient, PrCapAmbientClearAll, 0, 0, 0) != 0 && Errno.Last != Errno.EINVAL)
        {
            throw new SandboxSetupException("clear the ambient capabilities", Errno.Last);
        }

        var header = new Header { Version = Version3 };
        var data = stackalloc Data[2];
        if (CapSet(&header, data) != 0)
        {
            throw new SandboxSetupException("capset (drop all capabilities)", Errno.Last);
        }

        if (HasAnyPermitted())
        {
            throw new SandboxSetupException("drop all capabilities", "capabilities are still permitted after capset");
        }
    }

    private static bool HasEffective(int cap)
    {
        var data = Get();
        return (data[cap / 32].Effective & (1u << (cap % 32))) != 0;
    }

    private static bool HasAnyPermitted()
    {
        var data = Get();
        return data[0].Permitted != 0 || data[1].Permitted != 0 || data[0].Effective != 0 || data[1].Effective != 0;
    }

    private static Data[] Get()
    {
        var header = new Header { Version = Version3 };
        var data = new Data[2];
        fixed (Data* pointer = data)
        {
            if (CapGet(&header, pointer) != 0)
            {
                throw new SandboxSetupException("capget", Errno.Last);
            }
        }

        return data;
    }

    private static int ReadLastCap()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 63;
        }
    }

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static partial int CapGet(Header* header, Data* data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static partial int CapSet(Header* header, Data* data);
}
