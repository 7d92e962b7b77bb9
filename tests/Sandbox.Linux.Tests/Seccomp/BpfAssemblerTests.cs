using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Tests.Seccomp;

public sealed class BpfAssemblerTests
{
    [Fact]
    public void Forward_labels_become_relative_jump_offsets()
    {
        var program = new BpfAssembler()
            .Load(0)
            .JumpIfEqual(7, "seven", "other")
            .Return(1)
            .Label("seven").Return(2)
            .Label("other").Return(3)
            .Build();

        Assert.Equal(new BpfInstruction(BpfInstruction.JumpEqual, 1, 2, 7), program[1]);
        Assert.Equal(2u, BpfInterpreter.Evaluate(program, 0, 7));
        Assert.Equal(3u, BpfInterpreter.Evaluate(program, 0, 8));
    }

    [Fact]
    public void Null_target_falls_through_to_the_next_instruction()
    {
        var program = new BpfAssembler().Load(0).JumpIfEqual(1, null, "no").Return(10).Label("no").Return(20).Build();
        Assert.Equal(10u, BpfInterpreter.Evaluate(program, 0, 1));
        Assert.Equal(20u, BpfInterpreter.Evaluate(program, 0, 2));
    }

    [Fact]
    public void Backward_jump_is_rejected()
    {
        var assembler = new BpfAssembler().Label("start").Load(0).JumpIfEqual(1, "start").Return(0);
        Assert.Throws<InvalidOperationException>(() => assembler.Build());
    }

    [Fact]
    public void Jump_longer_than_255_instructions_is_rejected()
    {
        var assembler = new BpfAssembler().Load(0).JumpIfEqual(1, "far");
        for (var i = 0; i < 300; i++)
        {
            assembler.Return(0);
        }

        assembler.Label("far").Return(1);
        Assert.Throws<InvalidOperationException>(() => assembler.Build());
    }

    [Fact]
    public void Undefined_label_and_missing_final_return_are_rejected()
    {
        Assert.Throws<InvalidOperationException>(() => new BpfAssembler().Load(0).JumpIfEqual(1, "nowhere").Return(0).Build());
        Assert.Throws<InvalidOperationException>(() => new BpfAssembler().Load(0).Build());
    }
}
