using Nono.Bench;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// loadgen blast-server <port> <seconds>                  TCP server that streams bytes to every client
// loadgen nono-proxy <port> <seconds>                    runs the nono proxy (prints its token)
// loadgen bulk <via> <host:port> <seconds>               CONNECT (or direct) download throughput, MB/s
// loadgen rps <via> <url> <connections> <seconds> <max>  keep-alive GET requests/s with p50/p99 latency
// loadgen tunnels <via> <host:port> <count> <seconds>    holds that many CONNECT tunnels open
// loadgen tls-origin <port> <seconds> <cert.pem>          HTTPS keep-alive origin (writes its certificate)
// loadgen nono-intercept <port> <seconds> <origin.pem> <origin-port>  the proxy with a credential route to it
// loadgen tls-rps <proxy-url> <host:port> new|keepalive <connections> <seconds> <pem,pem>  requests/s in a CONNECT tunnel
// loadgen h2-rps <proxy-url> <host:port> <connections> <streams> <seconds> <pem,pem> [2|1.1]  HttpClient keep-alive requests/s in CONNECT tunnels
// <via>: "direct" or http://[user:pass@]host:port
return args.FirstOrDefault() switch
{
    "blast-server" => await BlastServer.RunAsync(int.Parse(args[1]), int.Parse(args[2])),
    "nono-proxy" => await NonoProxyHost.RunAsync(int.Parse(args[1]), int.Parse(args[2])),
    "bulk" => await Bulk.RunAsync(Via.Parse(args[1]), args[2], int.Parse(args[3])),
    "tunnels" => await Tunnels.RunAsync(Via.Parse(args[1]), args[2], int.Parse(args[3]), int.Parse(args[4])),
    "rps" => await Rps.RunAsync(Via.Parse(args[1]), new Uri(args[2]), int.Parse(args[3]), int.Parse(args[4]), long.Parse(args[5])),
    "tls-origin" => await Intercept.OriginAsync(int.Parse(args[1]), int.Parse(args[2]), args[3]),
    "nono-intercept" => await Intercept.ProxyAsync(int.Parse(args[1]), int.Parse(args[2]), args[3], int.Parse(args[4])),
    "tls-rps" => await Intercept.ClientAsync(args[1], args[2], args[3], int.Parse(args[4]), int.Parse(args[5]), args[6]),
    "h2-rps" => await H2Rps.RunAsync(args[1], args[2], int.Parse(args[3]), int.Parse(args[4]), int.Parse(args[5]), args[6], args.ElementAtOrDefault(7) ?? "2"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: loadgen blast-server|nono-proxy|bulk|rps ... (see Program.cs)");
    return 2;
}
