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
dotnet test nono.slnx -c Release -nologo 2>&1 | tee "$log" || status=$?

# Sum the per-project VSTest summaries into the one closing line CI reads.
awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i + 1) }
      if ($i == "Passed:")  { p += $(i + 1) }
      if ($i == "Skipped:") { s += $(i + 1) }
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
exit $status
