#!/usr/bin/env bash
# Installs the Debian packages the tests (and, with --bench, the benchmarks; with --publish, only the
# NativeAOT build) use.
# Packages already present are not touched, so a prepared machine needs no network here.
set -euo pipefail

# NativeAOT links with clang (or gcc) and zlib; `build/deps.sh --publish` installs only these.
packages=(clang zlib1g-dev)
if [[ "${1:-}" != "--publish" ]]; then
  packages+=(
    curl ca-certificates git tmux util-linux iproute2 procps
    python3 python3-requests python3-socks python3-yaml nodejs
    zsh fish                                  # nono shell start-up is tested with every shell it supports
    openssl                                   # tests inspect certificates and run TLS peers
    dbus-daemon gnome-keyring libsecret-tools # a real Secret Service for the keyring credential tests
  )
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(tinyproxy squid mitmproxy bubblewrap wrk hyperfine nginx-light)
fi

missing=()
for p in "${packages[@]}"; do
  # A node from another source (nodesource, nvm) serves as well as Debian's.
  if [[ "$p" == nodejs ]] && command -v node >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
