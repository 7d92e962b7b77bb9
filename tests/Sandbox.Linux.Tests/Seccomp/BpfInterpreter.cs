using System.Buffers.Binary;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Tests.Seccomp;

/// <summary>
/// Executes a seccomp BPF program against a synthetic struct seccomp_data, implementing exactly
/// the instructions the assembler emits, so filter decisions can be checked without a kernel.
/// </summary>
internal static class BpfInterpreter
{
    public static uint Evaluate(BpfInstruction[] program, uint arch, uint nr, params ulong[] args)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(0), nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        for (var i = 0; i < args.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + (8 * i)), args[i]);
        }

        uint accumulator = 0;
        for (var pc = 0; pc < program.Length; pc++)
        {
            var instruction = program[pc];
            switch (instruction.Code)
            {
                case BpfInstruction.LoadWordAbsolute:
                    accumulator = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)instruction.K));
                    break;
                case BpfInstruction.AndConstant:
                    accumulator &= instruction.K;
                    break;
                case BpfInstruction.JumpEqual:
                    pc += accumulator == instruction.K ? instruction.JumpIfTrue : instruction.JumpIfFalse;
                    break;
                case BpfInstruction.JumpGreaterOrEqual:
                    pc += accumulator >= instruction.K ? instruction.JumpIfTrue : instruction.JumpIfFalse;
                    break;
                case BpfInstruction.JumpSet:
                    pc += (accumulator & instruction.K) != 0 ? instruction.JumpIfTrue : instruction.JumpIfFalse;
                    break;
                case BpfInstruction.ReturnConstant:
                    return instruction.K;
                default:
                    throw new InvalidOperationException($"unexpected instruction {instruction}");
            }
        }

        throw new InvalidOperationException("the program ran off its end");
    }
}
