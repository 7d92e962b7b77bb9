#!/usr/bin/env bash
# Resident memory of the `nono run` supervisor (proxy included) while the sandboxed program holds
# 1,000 open CONNECT tunnels through it to an origin on the host's loopback.
#   build/bench/run-tunnels.sh [TUNNELS]     (default 1000)
# Target: <= 40 MiB.
set -euo pipefail
cd "$(dirname "$0")/../.."

tunnels=${1:-1000}
[[ -x artifacts/nono ]] || build/publish.sh
nono="$PWD/artifacts/nono"
ulimit -n 8192
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The origin accepts and holds every connection (127.0.0.2: the proxy variables exempt 127.0.0.1).
cat >"$work/origin.py" <<'PY'
import asyncio, sys
async def hold(reader, writer):
    await reader.read()
    writer.close()
async def main():
    server = await asyncio.start_server(hold, "127.0.0.2", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())
PY
# The sandboxed program: on "go", opens the tunnels through $HTTPS_PROXY, says "open", holds them until stdin closes.
cat >"$work/holder.py" <<'PY'
import base64, os, socket, sys, urllib.parse
count, target = int(sys.argv[1]), sys.argv[2]
proxy = urllib.parse.urlsplit(os.environ["HTTPS_PROXY"])
auth = base64.b64encode(f"{proxy.username}:{urllib.parse.unquote(proxy.password)}".encode()).decode()
held = []
sys.stdin.readline()  # "go": the supervisor's idle memory has been measured
for _ in range(count):
    s = socket.create_connection((proxy.hostname, proxy.port))
    s.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nProxy-Authorization: Basic {auth}\r\n\r\n".encode())
    reply = s.recv(4096)
    if not reply.startswith(b"HTTP/1.1 200"):
        sys.exit(f"tunnel {len(held)} refused: {reply[:60]!r}")
    held.append(s)
print("open", len(held), flush=True)
sys.stdin.read()
PY

python3 "$work/origin.py" >"$work/origin.port" &
pids+=($!)
for _ in $(seq 100); do [[ -s "$work/origin.port" ]] && break; sleep 0.1; done
port=$(cat "$work/origin.port")

mkfifo "$work/stdin"
(cd "$work" && exec "$nono" run --allow-domain 127.0.0.2 --read "$work" -- /usr/bin/python3 "$work/holder.py" "$tunnels" "127.0.0.2:$port" <"$work/stdin" >"$work/holder.out" 2>"$work/nono.err") &
nono_pid=$!
pids+=($nono_pid)
exec 9>"$work/stdin"
rss() { awk '/^VmRSS/{printf "%.1f", $2 / 1024}' "/proc/$nono_pid/status"; }
sleep 1
rss_idle=$(rss)
echo go >&9
for _ in $(seq 600); do grep -q '^open' "$work/holder.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^open' "$work/holder.out" || { echo "the tunnels never opened:"; cat "$work/holder.out" "$work/nono.err"; exit 1; }
sleep 1
rss_tunnels=$(rss)
exec 9>&-
wait "$nono_pid" || true

echo "nono run supervisor resident memory: ${rss_idle} MiB at start, ${rss_tunnels} MiB with $(awk '{print $2}' "$work/holder.out") open tunnels (target <= 40 MiB)"
