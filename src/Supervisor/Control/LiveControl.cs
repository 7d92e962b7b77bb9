using Nono.Proxy;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Control;

/// <summary>Whether a session gets live control: on Linux, with a proxy, in a locked session directory.</summary>
internal static class LiveControl
{
    public static SessionControl? For(ResolvedSession session, ProxyConfig? proxyConfig, SessionTemp temp)
    {
        if (proxyConfig is null || !OperatingSystem.IsLinux() || !temp.Locked)
        {
            if (session.Request.SaveProfile is not null)
            {
                Console.Error.WriteLine("nono: note: --save-profile needs a session with the proxy and live control (Linux, proxy network mode); no profile will be written");
            }

            return null;
        }

        return new SessionControl(session, temp.Path);
    }
}
