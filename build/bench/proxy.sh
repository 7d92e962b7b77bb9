#!/usr/bin/env bash
# Proxy benchmark, one run against one nginx origin (and a TCP blast server for bulk data):
#   CONNECT bulk throughput (MB/s) and keep-alive plain-HTTP requests/s at 1 and 64 connections
#   (p50/p99 latency), each direct, through nono's proxy, through tinyproxy and through squid; then the
#   ratios against direct, all measured in the same run.
# Every helper runs under `timeout` and every load run is bounded in time and request count.
# Knobs: BENCH_SECONDS (per measurement, default 5), BENCH_MAX_REQUESTS (per run, default 5000000),
# BENCH_INLINE=1 (inline socket completions, which the nono executable does not use; off by default
# so the numbers are those of the proxy as shipped).
set -euo pipefail
cd "$(dirname "$0")/../.."

build/deps.sh --bench
dotnet build -c Release build/bench/LoadGen -nologo -v q >/dev/null
loadgen=(dotnet artifacts/build/bin/LoadGen/release/loadgen.dll)
source build/bench/aot-host.sh
nono_host=("$NONO_BENCH_HOST")

secs=${BENCH_SECONDS:-5}
max=${BENCH_MAX_REQUESTS:-5000000}
lifetime=$((secs * 12 + 120))
source build/bench/common.sh

nginx_port=$(free_port); blast_port=$(free_port); nono_port=$(free_port); tiny_port=$(free_port); squid_port=$(free_port)

mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile 16384;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log crit;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { default_type text/plain; return 200 "hello from the benchmark origin\n"; }
  }
}
CONF
timeout "$lifetime" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)

cat >"$work/tinyproxy.conf" <<CONF
User nobody
Group nogroup
Port $tiny_port
Listen 127.0.0.1
Timeout 600
MaxClients 1024
LogLevel Critical
Allow 127.0.0.1
DisableViaHeader Yes
CONF
timeout "$lifetime" tinyproxy -d -c "$work/tinyproxy.conf" &
pids+=($!)

# squid as a plain forward proxy and tunnel: no cache, no logs, CONNECT to any port, one worker.
mkdir -p "$work/squid"
chmod 777 "$work/squid"
cat >"$work/squid.conf" <<CONF
http_port 127.0.0.1:$squid_port
acl localnet src 127.0.0.1/32
http_access allow localnet
http_access deny all
cache deny all
cache_mem 8 MB
access_log none
cache_log /dev/null
cache_store_log none
pid_filename $work/squid/squid.pid
coredump_dir $work/squid
max_filedescriptors 16384
forwarded_for delete
via off
CONF
timeout "$lifetime" squid -N -f "$work/squid.conf" &
pids+=($!)

timeout "$lifetime" "${loadgen[@]}" blast-server "$blast_port" "$lifetime" >/dev/null &
pids+=($!)

timeout "$lifetime" "${nono_host[@]}" nono-proxy "$nono_port" "$lifetime" >"$work/nono.out" &
pids+=($!)
nono_timeout=$!

for p in "$nginx_port" "$tiny_port" "$squid_port" "$blast_port" "$nono_port"; do wait_port "$p"; done
for _ in $(seq 100); do grep -q '^token ' "$work/nono.out" && break; sleep 0.1; done
token=$(awk '/^token /{print $2}' "$work/nono.out")
[[ -n "$token" ]] || { echo "the nono proxy did not start" >&2; exit 1; }

declare -A via=(
  [direct]=direct
  [nono]="http://nono:$token@127.0.0.1:$nono_port"
  [tinyproxy]="http://127.0.0.1:$tiny_port"
  [squid]="http://127.0.0.1:$squid_port"
)
url="http://127.0.0.1:$nginx_port/small"
declare -A bulk rps1 rps64 lat1 lat64
# The nono proxy process (the child of its `timeout`), for its CPU time and resident memory.
nono_pid=$(pgrep -P "$nono_timeout" | head -1)
[[ -n "$nono_pid" ]] || { echo "the nono proxy process was not found" >&2; exit 1; }
# CPU time (user + system, in clock ticks) the nono proxy has used so far. On a machine whose CPUs are
# shared, req/s ratios follow each process's share of the CPU; CPU time per request does not.
ticks() { awk '{print $14 + $15}' "/proc/$nono_pid/stat"; }
hz=$(getconf CLK_TCK)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

for name in direct nono tinyproxy squid; do
  t0=$(ticks)
  bulk[$name]=$("${loadgen[@]}" bulk "${via[$name]}" "127.0.0.1:$blast_port" "$secs" | awk '{print $2}')
  t1=$(ticks)
  r1=$("${loadgen[@]}" rps "${via[$name]}" "$url" 1 "$secs" "$max")
  t2=$(ticks)
  r64=$("${loadgen[@]}" rps "${via[$name]}" "$url" 64 "$secs" "$max")
  t3=$(ticks)
  if [[ $name == nono ]]; then
    # Bulk runs a 0.5 s warm-up and rps min(2, secs/2) s, both at the measured rate.
    warm=$(awk -v s="$secs" 'BEGIN { print (s / 2 < 2 ? s / 2 : 2) }')
    cpu_bulk=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v mb="${bulk[$name]}" -v s="$secs" 'BEGIN { printf "%.0f", t / hz * 1000 / (mb * (s + 0.5) / 1024) }')
    cpu_r1=$(awk -v t=$((t2 - t1)) -v hz="$hz" -v w="$warm" -v s="$secs" '{ printf "%.1f", t / hz * 1e6 / ($2 * (s + w)) }' <<<"$r1")
    cpu_r64=$(awk -v t=$((t3 - t2)) -v hz="$hz" -v w="$warm" -v s="$secs" '{ printf "%.1f", t / hz * 1e6 / ($2 * (s + w)) }' <<<"$r64")
  fi
  rps1[$name]=$(awk '{print $2}' <<<"$r1"); lat1[$name]=$(awk '{print $4 "/" $6}' <<<"$r1")
  rps64[$name]=$(awk '{print $2}' <<<"$r64"); lat64[$name]=$(awk '{print $4 "/" $6}' <<<"$r64")
  echo "measured $name: bulk ${bulk[$name]} MB/s; 1 conn: $r1; 64 conns: $r64" >&2
done

# Resident memory of the nono proxy process, idle and while holding 1,000 idle tunnels.
rss() { awk '/^VmRSS/{printf "%.1f", $2 / 1024}' "/proc/$nono_pid/status"; }
rss_idle=$(rss)
"${loadgen[@]}" tunnels "${via[nono]}" "127.0.0.1:$nginx_port" 1000 4 >"$work/tunnels.out" &
for _ in $(seq 100); do grep -q '^open' "$work/tunnels.out" 2>/dev/null && break; sleep 0.1; done
sleep 1
rss_tunnels=$(rss)
wait $! || true

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }

echo
echo "nono proxy: NativeAOT, inline socket completions $([[ "${BENCH_INLINE:-}" == 1 ]] && echo on || echo "off (as shipped)"); load average $load_before before the runs, $(cut -d' ' -f1-3 /proc/loadavg) after ($(nproc) CPUs)"
printf '%-10s %14s %12s %18s %12s %18s\n' "" "CONNECT MB/s" "req/s 1c" "p50/p99 ms 1c" "req/s 64c" "p50/p99 ms 64c"
for name in direct nono tinyproxy squid; do
  printf '%-10s %14s %12s %18s %12s %18s\n' "$name" "${bulk[$name]}" "${rps1[$name]}" "${lat1[$name]}" "${rps64[$name]}" "${lat64[$name]}"
done
echo
for name in nono tinyproxy squid; do
  echo "$name vs direct: CONNECT $(ratio "${bulk[$name]}" "${bulk[direct]}") (target >= 0.80x for nono), forward req/s 1 conn $(ratio "${rps1[$name]}" "${rps1[direct]}"), 64 conns $(ratio "${rps64[$name]}" "${rps64[direct]}") (target >= 0.50x for nono)"
done
echo "nono proxy CPU time: ${cpu_bulk} ms per GiB of CONNECT bulk, ${cpu_r1} us per request at 1 conn, ${cpu_r64} us at 64 conns"
echo "nono proxy (NativeAOT) resident memory: ${rss_idle} MiB idle (after the runs above), ${rss_tunnels} MiB with 1000 open tunnels (target <= 40 MiB)"

# TLS interception: new-handshake and keep-alive rates, intercepted vs plain tunnel to one HTTPS origin.
build/bench/intercept.sh
