namespace Nono.Sandbox.Linux.Seccomp;

/// <summary>
/// Builds a classic BPF program with named forward labels, so the filter reads as a list of
/// decisions instead of hand-counted jump offsets. Jumps are 8-bit and forward only; the
/// assembler refuses a program that breaks either rule rather than emitting a wrong jump.
/// </summary>
internal sealed class BpfAssembler
{
    private readonly List<Pending> _instructions = [];
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);

    public int Count => _instructions.Count;

    /// <summary>A = the 32-bit word at <paramref name="offset"/> of struct seccomp_data.</summary>
    public BpfAssembler Load(uint offset) => Add(new Pending(BpfInstruction.LoadWordAbsolute, offset, null, null));

    /// <summary>if (A == k) goto ifTrue else goto ifFalse (null: the next instruction).</summary>
    public BpfAssembler JumpIfEqual(uint k, string? ifTrue, string? ifFalse = null) =>
        Add(new Pending(BpfInstruction.JumpEqual, k, ifTrue, ifFalse));

    /// <summary>if (A &gt;= k) goto ifTrue else goto ifFalse.</summary>
    public BpfAssembler JumpIfGreaterOrEqual(uint k, string? ifTrue, string? ifFalse = null) =>
        Add(new Pending(BpfInstruction.JumpGreaterOrEqual, k, ifTrue, ifFalse));

    /// <summary>if (A &amp; k) goto ifTrue else goto ifFalse.</summary>
    public BpfAssembler JumpIfAnySet(uint k, string? ifTrue, string? ifFalse = null) =>
        Add(new Pending(BpfInstruction.JumpSet, k, ifTrue, ifFalse));

    /// <summary>A &amp;= k.</summary>
    public BpfAssembler And(uint k) => Add(new Pending(BpfInstruction.AndConstant, k, null, null));

    public BpfAssembler Return(uint action) => Add(new Pending(BpfInstruction.ReturnConstant, action, null, null));

    /// <summary>Names the next instruction.</summary>
    public BpfAssembler Label(string name)
    {
        if (!_labels.TryAdd(name, _instructions.Count))
        {
            throw new InvalidOperationException($"BPF label '{name}' is defined twice.");
        }

        return this;
    }

    public BpfInstruction[] Build()
    {
        if (_instructions.Count == 0 || _instructions[^1].Code != BpfInstruction.ReturnConstant)
        {
            throw new InvalidOperationException("A BPF program must end with a return.");
        }

        if (_instructions.Count > 4096)
        {
            throw new InvalidOperationException("A BPF program may hold at most 4096 instructions.");
        }

        var program = new BpfInstruction[_instructions.Count];
        for (var index = 0; index < program.Length; index++)
        {
            var pending = _instructions[index];
            program[index] = new BpfInstruction(pending.Code, Offset(index, pending.IfTrue), Offset(index, pending.IfFalse), pending.K);
        }

        return program;
    }

    private byte Offset(int from, string? label)
    {
        if (label is null)
        {
            return 0;
        }

        if (!_labels.TryGetValue(label, out var target))
        {
            throw new InvalidOperationException($"BPF label '{label}' is never defined.");
        }

        var offset = target - from - 1;
        if (offset < 0)
        {
            throw new InvalidOperationException($"BPF jump to '{label}' goes backwards; classic BPF jumps only forward.");
        }

        if (offset > byte.MaxValue)
        {
            throw new InvalidOperationException($"BPF jump to '{label}' spans {offset} instructions; at most 255 fit.");
        }

        if (target >= _instructions.Count)
        {
            throw new InvalidOperationException($"BPF label '{label}' points past the end of the program.");
        }

        return (byte)offset;
    }

    private BpfAssembler Add(Pending instruction)
    {
        _instructions.Add(instruction);
        return this;
    }

    private readonly record struct Pending(ushort Code, uint K, string? IfTrue, string? IfFalse);
}
