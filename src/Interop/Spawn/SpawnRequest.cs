namespace Nono.Interop;

/// <summary>
/// What <see cref="PosixSpawner"/> starts: the program, its argv and environment, where supervisor
/// descriptors go in the child, and the attributes that differ between the launchers.
/// </summary>
internal sealed record SpawnRequest
{
    /// <summary>The file executed (posix_spawn does not search PATH).</summary>
    public required string Executable { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    public required IReadOnlyList<string> Environment { get; init; }

    /// <summary>Supervisor descriptor → child descriptor, applied in order (see <see cref="SpawnMapping"/>).</summary>
    public IReadOnlyList<(int Source, int Target)> Mapping { get; init; } = [];

    /// <summary>Darwin's POSIX_SPAWN_CLOEXEC_DEFAULT: the child gets only what <see cref="Mapping"/> and
    /// <see cref="Inherit"/> name, whatever the close-on-exec flag of the rest. Linux has no such
    /// flag; its launcher marks every descriptor close-on-exec instead.</summary>
    public bool CloseUnnamedDescriptors { get; init; }

    /// <summary>Descriptors kept at their own number; only meaningful with <see cref="CloseUnnamedDescriptors"/>.</summary>
    public IReadOnlyList<int> Inherit { get; init; } = [];

    /// <summary>The child leads a new process group (its pgid is its pid).</summary>
    public bool OwnProcessGroup { get; init; }

    /// <summary>Signals blocked in the child from its first instruction; none otherwise.</summary>
    public IReadOnlyList<int> BlockedSignals { get; init; } = [];
}
