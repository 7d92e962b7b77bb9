using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Seccomp;

/// <summary>struct sock_filter: one classic BPF instruction.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct BpfInstruction(ushort Code, byte JumpIfTrue, byte JumpIfFalse, uint K)
{
    // Instruction classes and modes used by a seccomp filter (include/uapi/linux/bpf_common.h).
    public const ushort LoadWordAbsolute = 0x00 | 0x00 | 0x20;   // BPF_LD | BPF_W | BPF_ABS
    public const ushort JumpEqual = 0x05 | 0x10 | 0x00;          // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort JumpGreaterOrEqual = 0x05 | 0x30 | 0x00; // BPF_JMP | BPF_JGE | BPF_K
    public const ushort JumpSet = 0x05 | 0x40 | 0x00;            // BPF_JMP | BPF_JSET | BPF_K
    public const ushort AndConstant = 0x04 | 0x50 | 0x00;        // BPF_ALU | BPF_AND | BPF_K
    public const ushort ReturnConstant = 0x06 | 0x00;            // BPF_RET | BPF_K

    public override string ToString() => $"{{0x{Code:x2}, {JumpIfTrue}, {JumpIfFalse}, 0x{K:x8}}}";
}
