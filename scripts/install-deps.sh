#!/usr/bin/env bash
# Install the Debian packages the pipeline needs, skipping those present.
#
# usage: scripts/install-deps.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

packages=(
	linux-source-6.12 gcc make flex bison bc libelf-dev libssl-dev
	cpio xz-utils patch qemu-system-x86 busybox-static sparse libc6-dev perl
	python3-docutils libcap-dev git python3 python3-ply python3-git
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

stage "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	--no-install-recommends "${missing[@]}" >/dev/null
