namespace Nono.Sandbox.Linux.Landlock;

/// <summary>LANDLOCK_ACCESS_FS_* bits (include/uapi/linux/landlock.h).</summary>
[Flags]
internal enum FsRights : ulong
{
    None = 0,
    Execute = 1UL << 0,
    WriteFile = 1UL << 1,
    ReadFile = 1UL << 2,
    ReadDir = 1UL << 3,
    RemoveDir = 1UL << 4,
    RemoveFile = 1UL << 5,
    MakeChar = 1UL << 6,
    MakeDir = 1UL << 7,
    MakeReg = 1UL << 8,
    MakeSock = 1UL << 9,
    MakeFifo = 1UL << 10,
    MakeBlock = 1UL << 11,
    MakeSym = 1UL << 12,
    Refer = 1UL << 13,      // ABI 2
    Truncate = 1UL << 14,   // ABI 3
    IoctlDev = 1UL << 15,   // ABI 5
}

/// <summary>LANDLOCK_ACCESS_NET_* bits (ABI 4).</summary>
[Flags]
internal enum NetRights : ulong
{
    None = 0,
    BindTcp = 1UL << 0,
    ConnectTcp = 1UL << 1,
}

/// <summary>LANDLOCK_SCOPE_* bits (ABI 6).</summary>
[Flags]
internal enum ScopeRights : ulong
{
    None = 0,
    AbstractUnixSocket = 1UL << 0,
    Signal = 1UL << 1,
}

/// <summary>Which rights each Landlock ABI version knows, and which of them apply to a single file.</summary>
internal static class LandlockRights
{
    public const FsRights AbiV1Fs = FsRights.Execute | FsRights.WriteFile | FsRights.ReadFile | FsRights.ReadDir
        | FsRights.RemoveDir | FsRights.RemoveFile | FsRights.MakeChar | FsRights.MakeDir | FsRights.MakeReg
        | FsRights.MakeSock | FsRights.MakeFifo | FsRights.MakeBlock | FsRights.MakeSym;

    /// <summary>The rights the kernel accepts on a rule whose parent fd is not a directory.</summary>
    public const FsRights FileApplicable = FsRights.Execute | FsRights.WriteFile | FsRights.ReadFile
        | FsRights.Truncate | FsRights.IoctlDev;

    public static FsRights FsFor(int abi) => abi switch
    {
        <= 0 => FsRights.None,
        1 => AbiV1Fs,
        2 => AbiV1Fs | FsRights.Refer,
        3 or 4 => AbiV1Fs | FsRights.Refer | FsRights.Truncate,
        _ => AbiV1Fs | FsRights.Refer | FsRights.Truncate | FsRights.IoctlDev,
    };

    public static NetRights NetFor(int abi) => abi >= 4 ? NetRights.BindTcp | NetRights.ConnectTcp : NetRights.None;

    public static ScopeRights ScopeFor(int abi) => abi >= 6 ? ScopeRights.AbstractUnixSocket | ScopeRights.Signal : ScopeRights.None;

    /// <summary>The ABI version that introduced a right, for messages.</summary>
    public static int IntroducedIn(FsRights right) => right switch
    {
        FsRights.Refer => 2,
        FsRights.Truncate => 3,
        FsRights.IoctlDev => 5,
        _ => 1,
    };

    public static string Name(FsRights right) => "LANDLOCK_ACCESS_FS_" + right switch
    {
        FsRights.Execute => "EXECUTE",
        FsRights.WriteFile => "WRITE_FILE",
        FsRights.ReadFile => "READ_FILE",
        FsRights.ReadDir => "READ_DIR",
        FsRights.RemoveDir => "REMOVE_DIR",
        FsRights.RemoveFile => "REMOVE_FILE",
        FsRights.MakeChar => "MAKE_CHAR",
        FsRights.MakeDir => "MAKE_DIR",
        FsRights.MakeReg => "MAKE_REG",
        FsRights.MakeSock => "MAKE_SOCK",
        FsRights.MakeFifo => "MAKE_FIFO",
        FsRights.MakeBlock => "MAKE_BLOCK",
        FsRights.MakeSym => "MAKE_SYM",
        FsRights.Refer => "REFER",
        FsRights.Truncate => "TRUNCATE",
        FsRights.IoctlDev => "IOCTL_DEV",
        _ => right.ToString().ToUpperInvariant(),
    };

    /// <summary>Short names of every set bit, e.g. "read_file read_dir execute".</summary>
    public static string Describe(FsRights rights)
    {
        var names = new List<string>();
        foreach (var bit in Enum.GetValues<FsRights>())
        {
            if (bit != FsRights.None && rights.HasFlag(bit))
            {
                names.Add(Name(bit)["LANDLOCK_ACCESS_FS_".Length..].ToLowerInvariant());
            }
        }

        return names.Count == 0 ? "none" : string.Join(' ', names);
    }
}
