using System.CommandLine;

namespace Nono.Supervisor;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand(
            "nono: run untrusted programs in a kernel-enforced sandbox whose only way to the network is a filtering, credential-injecting proxy.");
        root.Add(Cli.ProfileCommand.Create());
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return root.Parse(args).Invoke(configuration);
    }
}
