#!/usr/bin/env bash
# Launch overhead: median wall time of `nono wrap --block-net -- /bin/true` and of the supervised
# `nono run -- /bin/true` (proxy started, user + network namespace, listener handed over, Landlock,
# seccomp, teardown) against bare /bin/true and bubblewrap with a network namespace, in the same run.
#   build/bench/launch.sh [RUNS]        (default 200 runs per command)
# Targets: nono wrap within 15 ms of bare /bin/true; nono run within 30 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${1:-200}
build/deps.sh --bench
[[ -x artifacts/nono ]] || build/publish.sh
nono="$PWD/artifacts/nono"

# A home with a credentials directory, to time the namespace path (`--read $HOME` masks ~/.ssh).
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home/.ssh"

names=("bare /bin/true" "nono wrap --block-net" "bwrap --unshare-net" "nono wrap (user+mount ns)" "nono run (proxy, user+net ns)")
commands=(
  "/bin/true"
  "$nono wrap --block-net -- /bin/true"
  "bwrap --unshare-net --ro-bind / / /bin/true"
  "env HOME=$scratch/home $nono wrap --read $scratch/home -- /bin/true"
  "$nono run -- /bin/true"
)

medians=()
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 10 --runs "$runs" --export-json "$scratch/result.json" "${commands[@]}" >/dev/null
  mapfile -t medians < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["median"] * 1000)' "$scratch/result.json")
else
  # No hyperfine: a timing loop (fork+exec+wait per run, the same cost for every command).
  for command in "${commands[@]}"; do
    medians+=("$(python3 - "$runs" $command <<'PY'
import subprocess, sys, time
runs, argv = int(sys.argv[1]), sys.argv[2:]
samples = []
for i in range(runs + 10):
    start = time.perf_counter_ns()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    if i >= 10:
        samples.append((time.perf_counter_ns() - start) / 1e6)
samples.sort()
print(samples[len(samples) // 2])
PY
)")
  done
fi

bare=${medians[0]}
echo "launch benchmark: median of $runs runs each ($(command -v hyperfine >/dev/null && echo hyperfine || echo timing loop))"
for i in "${!names[@]}"; do
  python3 -c '
import sys
name, median, bare = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
print(f"  {name:<28} {median:7.2f} ms   overhead {median - bare:+7.2f} ms   ratio {median / bare:5.2f} x")' \
    "${names[$i]}" "${medians[$i]}" "$bare"
done
python3 -c '
import sys
wrap, bwrap, bare = map(float, sys.argv[1:4])
print(f"peer: nono wrap --block-net vs bwrap --unshare-net: {wrap / bwrap:.2f} x the time, {(wrap - bare) / (bwrap - bare):.2f} x the overhead")' \
  "${medians[1]}" "${medians[2]}" "$bare"
python3 -c '
import sys
overhead = float(sys.argv[1]) - float(sys.argv[2])
verdict = "met" if overhead <= 15 else "MISSED"
print(f"target: nono wrap --block-net within 15 ms of bare: {verdict} ({overhead:.2f} ms)")' "${medians[1]}" "$bare"
python3 -c '
import sys
run, bare, wrap = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
verdict = "met" if run - bare <= 30 else "MISSED"
print(f"target: nono run within 30 ms of bare: {verdict} ({run - bare:.2f} ms; {run - wrap:+.2f} ms over nono wrap --block-net)")' "${medians[4]}" "$bare" "${medians[1]}"
