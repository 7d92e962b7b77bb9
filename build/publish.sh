#!/usr/bin/env bash
# Publishes the `nono` executable as one NativeAOT binary into artifacts/.
#   build/publish.sh                 host RID (linux-x64, linux-arm64, osx-arm64, osx-x64), artifacts/nono
#   build/publish.sh --rid RID       another RID into artifacts/RID/
# Any trim or AOT warning fails the publish.
#
# NativeAOT links with the target platform's own linker and SDK, so a macOS binary can only be
# linked on a Mac (with the Xcode command line tools). Asked for osx-arm64 or osx-x64 on another
# system, this script publishes the same program as framework-dependent IL for that RID instead:
# it runs on a Mac that has the .NET 10 runtime, after an ad-hoc signature (see README, "macOS").
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(uname -s)
case "$host/$(uname -m)" in
  Linux/x86_64) rid=linux-x64 ;;
  Linux/aarch64 | Linux/arm64) rid=linux-arm64 ;;
  Darwin/arm64) rid=osx-arm64 ;;
  Darwin/x86_64) rid=osx-x64 ;;
  *) echo "publish: unsupported machine $host $(uname -m)" >&2; exit 1 ;;
esac
out=artifacts
if [[ "${1:-}" == "--rid" ]]; then
  rid=${2:?--rid needs a runtime identifier}
  out=artifacts/$rid
fi

args=(-c Release -r "$rid" -o "$out" -nologo -clp:NoSummary)
kind="NativeAOT"
if [[ "$rid" == osx-* && "$host" != Darwin ]]; then
  kind="framework-dependent IL"
  args+=(-p:PublishAot=false --self-contained false -p:SatelliteResourceLanguages=en)
  echo "publish: NativeAOT cannot link a macOS binary on $host; publishing $rid as $kind (finish on a Mac, see README)" >&2
fi

# NativeAOT needs a native linker for the host; cross-RID builds produce IL only and need none.
if [[ "$out" == artifacts && "$(uname -s)" == Linux ]]; then build/deps.sh --publish; fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet publish src/Supervisor/Supervisor.csproj "${args[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  echo "publish: failed" >&2
  exit 1
fi
if grep -E "warning (IL|CS|CA)[0-9]+" "$log" >&2; then
  echo "publish: trim/AOT or compiler warnings (above) are errors" >&2
  exit 1
fi
rm -f "$out"/*.dbg
rm -rf "$out"/*.dSYM
echo "publish: $out/nono ($rid, $kind)"
