#!/usr/bin/env bash
# Launch cost against a peer measured in the same run: bubblewrap with a network namespace.
#   build/bench/launch.sh [PAIRS]        (default 60 pairs per comparison)
# Each comparison alternates the two commands run by run (A B A B ...), so a load change on the
# machine falls on both alike; the ratio of the two medians is what the targets are stated in:
#   nono wrap --block-net -- /bin/true   <= 1.0 x  bwrap --unshare-net --ro-bind / / /bin/true
#   nono run -- /bin/true                <= 2.0 x  the same bwrap
# Also printed, for orientation: bare /bin/true and the namespace path of wrap (--read $HOME masks ~/.ssh).
# Every command runs in a scratch project directory (a small git repository, as a project is): the
# working directory is granted to the program and searched for git repositories to protect, so
# started from a large checkout the numbers would measure that checkout, not the launch.
# `nono run -v` prints where a session's launch time goes (resolve, proxy, plan, stage 2).
set -euo pipefail
cd "$(dirname "$0")/../.."

pairs=${1:-60}
build/deps.sh --bench
[[ -x artifacts/nono ]] || build/publish.sh
nono=${NONO_BIN:-$PWD/artifacts/nono}
command -v bwrap >/dev/null || { echo "launch.sh: bubblewrap (bwrap) is needed as the peer" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home/.ssh" "$scratch/project/src"
git -C "$scratch/project" init -q
printf 'print("hello")\n' >"$scratch/project/src/main.py"
cd "$scratch/project"

peer="bwrap --unshare-net --ro-bind / / /bin/true"
names=("nono wrap --block-net" "nono run (proxy, user+net ns)" "nono wrap (user+mount ns)" "bare /bin/true")
commands=(
  "$nono wrap --block-net -- /bin/true"
  "$nono run -- /bin/true"
  "env HOME=$scratch/home $nono wrap --read $scratch/home -- /bin/true"
  "/bin/true"
)
targets=("1.0" "2.0" "" "")

# Paired timing: one process per run, wall time from fork to reaping, the same harness for both sides.
python3 - "$pairs" "$peer" "${#commands[@]}" "${names[@]}" "${commands[@]}" "${targets[@]}" <<'PY'
import shlex, statistics, subprocess, sys, time

pairs, peer, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rest = sys.argv[4:]
names, commands, targets = rest[:count], rest[count:2 * count], rest[2 * count:3 * count]

def once(argv):
    start = time.perf_counter_ns()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter_ns() - start) / 1e6

peer_argv = shlex.split(peer)
print(f"launch benchmark: {pairs} alternating pairs per line, medians; peer: {peer}")
missed = False
for name, command, target in zip(names, commands, targets):
    argv = shlex.split(command)
    for _ in range(5):  # warm the page cache and the kernel's namespace paths for both
        once(argv); once(peer_argv)
    ours, theirs, ratios = [], [], []
    for _ in range(pairs):
        a, b = once(argv), once(peer_argv)
        ours.append(a); theirs.append(b); ratios.append(a / b)
    mine, peer_median = statistics.median(ours), statistics.median(theirs)
    ratio = mine / peer_median
    line = f"  {name:<30} {mine:7.2f} ms   bwrap {peer_median:7.2f} ms   ratio {ratio:5.2f} x (median of pair ratios {statistics.median(ratios):5.2f} x)"
    if target:
        met = ratio <= float(target)
        missed |= not met
        line += f"   target <= {target} x: {'met' if met else 'MISSED'}"
    print(line)
sys.exit(0)
PY
