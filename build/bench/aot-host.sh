#!/usr/bin/env bash
# Sourced by the proxy benchmarks: publishes the load generator NativeAOT-compiled (the proxy runs in it
# as it does in the nono binary; a publish warning fails the run) and exports its path as
# $NONO_BENCH_HOST. A benchmark started by another one reuses the binary its parent published.
if [[ -z "${NONO_BENCH_HOST:-}" ]]; then
  case "$(uname -m)" in x86_64) rid=linux-x64 ;; *) rid=linux-arm64 ;; esac
  aot_log=$(dotnet publish build/bench/LoadGen -c Release -r "$rid" -p:PublishAot=true -o artifacts/bench -nologo 2>&1) \
    || { echo "$aot_log" >&2; exit 1; }
  if grep -E "warning (IL|CS|CA)[0-9]+" <<<"$aot_log" >&2; then echo "bench: AOT warnings" >&2; exit 1; fi
  export NONO_BENCH_HOST=$PWD/artifacts/bench/loadgen
fi
