#!/usr/bin/env bash
# TLS interception benchmark: one HTTPS origin, one nono proxy with a credential route to it, and
# mitmproxy (mitmdump) intercepting the same origin for the same client in the same run.
# CONNECT localhost:PORT is intercepted (credential injected); CONNECT 127.0.0.1:PORT to the same origin
# is a plain end-to-end tunnel. Measures, for both: new-handshake rate (a CONNECT + TLS handshake +
# one request per connection) and keep-alive requests/s, at 1 and 4 connections (and 16 for handshakes); then keep-alive
# requests/s over HTTP/2 inside the intercepted tunnel (1 connection with 1 and 16 streams in flight,
# 16 connections with 1 stream each); then the ratios against the plain tunnel's HTTP/1.1 keep-alive.
# The nono proxy runs NativeAOT-compiled, as in the nono binary; the clients and the origin run on the JIT.
# Knobs: BENCH_SECONDS (per measurement, default 5); BENCH_INLINE=1 runs the proxy with inline socket
# completions (ProxyServer.PreferInlineSocketCompletions), which the nono executable does not use.
set -euo pipefail
cd "$(dirname "$0")/../.."

dotnet build -c Release build/bench/LoadGen -nologo -v q >/dev/null
loadgen=(dotnet artifacts/build/bin/LoadGen/release/loadgen.dll)
source build/bench/aot-host.sh

secs=${BENCH_SECONDS:-5}
lifetime=$((secs * 10 + 120))
source build/bench/common.sh

origin_port=$(free_port); nono_port=$(free_port); mitm_port=$(free_port)
timeout "$lifetime" "${loadgen[@]}" tls-origin "$origin_port" "$lifetime" "$work/origin.pem" &
pids+=($!)
wait_port "$origin_port"
timeout "$lifetime" "$NONO_BENCH_HOST" nono-intercept "$nono_port" "$lifetime" "$work/origin.pem" "$origin_port" >"$work/nono.out" &
pids+=($!)
nono_timeout=$!
wait_port "$nono_port"
for _ in $(seq 100); do grep -q '^bundle ' "$work/nono.out" && break; sleep 0.1; done
token=$(awk '/^token /{print $2}' "$work/nono.out")
bundle=$(awk '/^bundle /{print $2}' "$work/nono.out")
[[ -n "$token" && -f "$bundle" ]] || { echo "the nono proxy did not start with interception" >&2; exit 1; }

# mitmproxy intercepting everything, trusting the origin's certificate upstream; its CA is made in its confdir.
mkdir -p "$work/mitm"
timeout "$lifetime" mitmdump -q --listen-host 127.0.0.1 --listen-port "$mitm_port" --set confdir="$work/mitm" \
  --set ssl_verify_upstream_trusted_ca="$work/origin.pem" --set connection_strategy=lazy >/dev/null 2>&1 &
pids+=($!)
wait_port "$mitm_port"
for _ in $(seq 100); do [[ -f "$work/mitm/mitmproxy-ca-cert.pem" ]] && break; sleep 0.1; done

proxy="http://nono:$token@127.0.0.1:$nono_port"
trust="$work/origin.pem,$bundle"
declare -A target=([tunnel]="127.0.0.1:$origin_port" [intercept]="localhost:$origin_port" [mitmproxy]="localhost:$origin_port")
declare -A via=([tunnel]="$proxy" [intercept]="$proxy" [mitmproxy]="http://127.0.0.1:$mitm_port")
declare -A trusts=([tunnel]="$trust" [intercept]="$trust" [mitmproxy]="$work/origin.pem,$work/mitm/mitmproxy-ca-cert.pem")
declare -A result cpu
# CPU time (user + system, clock ticks) of the nono proxy process: per request it does not depend on
# the share of the shared CPUs the proxy got, as req/s does.
nono_pid=$(pgrep -P "$nono_timeout" | head -1)
ticks() { awk '{print $14 + $15}' "/proc/$nono_pid/stat"; }
hz=$(getconf CLK_TCK)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

for name in tunnel intercept mitmproxy; do
  for mode in new keepalive; do
    for c in 1 4 16; do
      [[ $mode == keepalive && $c == 16 ]] && continue
      t0=$(ticks)
      result[$name/$mode/$c]=$("${loadgen[@]}" tls-rps "${via[$name]}" "${target[$name]}" "$mode" "$c" "$secs" "${trusts[$name]}" | awk '{print $2}')
      # The client counts every request of its run (no warm-up), so requests = rate x seconds.
      cpu[$name/$mode/$c]=$(awk -v t=$(($(ticks) - t0)) -v hz="$hz" -v r="${result[$name/$mode/$c]}" -v s="$secs" 'BEGIN { if (r > 0) printf "%.0f", t / hz * 1e6 / (r * s); else print "n/a" }')
      echo "measured $name $mode $c conns: ${result[$name/$mode/$c]} req/s" >&2
    done
  done
done

for shape in 1x1 1x16 16x1; do
  result[h2/$shape]=$("${loadgen[@]}" h2-rps "$proxy" "${target[intercept]}" "${shape%x*}" "${shape#*x}" "$secs" "$trust" 2 | awk '{print $2}')
  echo "measured intercept h2 ${shape%x*} conns x ${shape#*x} streams: ${result[h2/$shape]} req/s" >&2
done
# The same HttpClient over HTTP/1.1 through interception: how much of the gap to the raw tls-rps client is the client's.
for c in 1 16; do
  result[hc11/$c]=$("${loadgen[@]}" h2-rps "$proxy" "${target[intercept]}" "$c" 1 "$secs" "$trust" 1.1 | awk '{print $2}')
  echo "measured intercept HttpClient HTTP/1.1 $c conns: ${result[hc11/$c]} req/s" >&2
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
echo
printf '%-10s %16s %16s %16s %16s\n' "" "handshakes/s 1c" "handshakes/s 16c" "keep-alive 1c" "keep-alive 4c"
for name in tunnel intercept mitmproxy; do
  printf '%-10s %16s %16s %16s %16s\n' "$name" "${result[$name/new/1]}" "${result[$name/new/16]}" "${result[$name/keepalive/1]}" "${result[$name/keepalive/4]}"
done
echo
echo "intercept vs plain tunnel: handshakes/s $(ratio "${result[intercept/new/1]}" "${result[tunnel/new/1]}") (1c), $(ratio "${result[intercept/new/16]}" "${result[tunnel/new/16]}") (16c); keep-alive req/s $(ratio "${result[intercept/keepalive/1]}" "${result[tunnel/keepalive/1]}") (1c), $(ratio "${result[intercept/keepalive/4]}" "${result[tunnel/keepalive/4]}") (4c) (target >= 0.80x)"
echo "nono proxy CPU time per keep-alive request: tunnel ${cpu[tunnel/keepalive/1]} us (1c) / ${cpu[tunnel/keepalive/4]} us (4c), intercept ${cpu[intercept/keepalive/1]} us / ${cpu[intercept/keepalive/4]} us; load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after ($(nproc) CPUs)"
echo "intercept vs mitmproxy: handshakes/s $(ratio "${result[intercept/new/1]}" "${result[mitmproxy/new/1]}") (1c); keep-alive req/s $(ratio "${result[intercept/keepalive/1]}" "${result[mitmproxy/keepalive/1]}") (1c), $(ratio "${result[intercept/keepalive/4]}" "${result[mitmproxy/keepalive/4]}") (4c)"
echo
printf '%-22s %12s %12s %12s\n' "intercept, HTTP/2" "1c x 1s" "1c x 16s" "16c x 1s"
printf '%-22s %12s %12s %12s\n' "keep-alive req/s" "${result[h2/1x1]}" "${result[h2/1x16]}" "${result[h2/16x1]}"
printf '%-22s %12s %12s %12s\n' "same client, HTTP/1.1" "${result[hc11/1]}" "" "${result[hc11/16]}"
echo "h2 intercept vs plain tunnel keep-alive (HTTP/1.1): $(ratio "${result[h2/1x1]}" "${result[tunnel/keepalive/1]}") (1 stream vs 1c), $(ratio "${result[h2/1x16]}" "${result[tunnel/keepalive/4]}") (16 streams on 1 connection vs 4c)"
