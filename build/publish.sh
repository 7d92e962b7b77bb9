#!/usr/bin/env bash
# Publishes the `nono` executable as one NativeAOT binary into artifacts/.
#   build/publish.sh                 host RID (linux-x64 or linux-arm64), artifacts/nono
#   build/publish.sh --rid RID       another RID into artifacts/RID/ (see README for macOS)
# Any trim or AOT warning fails the publish.
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64|arm64) rid=linux-arm64 ;;
  *) echo "publish: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
out=artifacts
if [[ "${1:-}" == "--rid" ]]; then
  rid=${2:?--rid needs a runtime identifier}
  out=artifacts/$rid
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet publish src/Supervisor/Supervisor.csproj -c Release -r "$rid" -o "$out" -nologo -clp:NoSummary >"$log" 2>&1; then
  cat "$log" >&2
  echo "publish: failed" >&2
  exit 1
fi
if grep -E "warning (IL|CS|CA)[0-9]+" "$log" >&2; then
  echo "publish: trim/AOT or compiler warnings (above) are errors" >&2
  exit 1
fi
rm -f "$out"/*.dbg
echo "publish: $out/nono ($rid)"
