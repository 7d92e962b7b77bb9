#!/usr/bin/env bash
# The one test command: installs what the tests need, publishes the NativeAOT binary that the
# end-to-end tests run, then runs every test project. Ends with "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

build/deps.sh
build/publish.sh
export NONO_BIN="$PWD/artifacts/nono"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# --timeout: a hung test app fails the run in minutes instead of holding CI until its own limit.
dotnet test --solution nono.slnx -c Release --timeout 15m 2>&1 | tee "$log" || status=$?

# Restate Microsoft.Testing.Platform's run summary as the one closing line CI reads.
awk '
  /^ +failed: [0-9]+/    { f = $2 }
  /^ +succeeded: [0-9]+/ { p = $2 }
  /^ +skipped: [0-9]+/   { s = $2 }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
exit $status
