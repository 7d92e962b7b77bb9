using Nono.Supervisor.Session;

namespace Nono.Supervisor.Tests.Session;

public sealed class TrampolineCommandTests
{
    [Fact]
    public void Stage2_is_started_as_this_executable_or_as_dotnet_with_the_nono_assembly()
    {
        var (program, arguments) = TrampolineCommand.Current();

        Assert.Equal(Environment.ProcessPath, program);
        if (Path.GetFileNameWithoutExtension(program) == "dotnet")
        {
            var assembly = Assert.Single(arguments);
            Assert.Equal("nono.dll", Path.GetFileName(assembly));
            Assert.True(File.Exists(assembly));
        }
        else
        {
            Assert.Empty(arguments);
        }
    }
}
