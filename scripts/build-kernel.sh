#!/usr/bin/env bash
# Configure and build a kernel out of tree, incrementally.
#
# usage: scripts/build-kernel.sh [--vanilla] NAME FRAGMENT...
#
# Builds build/kernel/NAME/arch/x86/boot/bzImage (and the uapi headers in
# build/kernel/NAME/usr/include) from the tree scripts/prepare-tree.sh made,
# or from the unmodified base with --vanilla. The configuration is
# tinyconfig with the FRAGMENTs laid on it in order; every option a
# fragment sets must survive Kconfig's dependency resolution, or the build
# stops naming it. .config is rewritten only when it changes, so a rebuild
# after a source change recompiles only what that change affects.
# Prints the bzImage path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

vanilla=0
if [ "${1:-}" = --vanilla ]; then
	vanilla=1
	shift
fi
[ $# -ge 1 ] || die "usage: build-kernel.sh [--vanilla] NAME FRAGMENT..."
name=$1
shift

if [ $vanilla = 1 ]; then
	src=$("$TOP/scripts/prepare-tree.sh" --vanilla)
else
	src=$("$TOP/scripts/prepare-tree.sh")
fi
obj=$BUILD/kernel/$name
mkdir -p "$obj"

stage "kernel $name: configuring"
# tinyconfig is allnoconfig with these fragments; ours follow.
all=$obj/.config.fragments
cat "$src/kernel/configs/tiny-base.config" "$src/kernel/configs/tiny.config" \
	"$src/arch/x86/configs/tiny.config" "$@" >"$all"
KCONFIG_ALLCONFIG=$all KCONFIG_CONFIG=.config.want \
	make -s -C "$src" O="$obj" allnoconfig >/dev/null 2>"$obj/kconfig.log" ||
	{ cat "$obj/kconfig.log" >&2; die "configuration failed"; }

missing=$(cat "$@" | sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)/\1/p' \
	-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1/p' |
	while read -r want; do
		case $want in
		*=*) grep -qxF "$want" "$obj/.config.want" || echo "$want" ;;
		*) if grep -q "^$want=" "$obj/.config.want"; then
			echo "$want=n"
		   fi ;;
		esac
	done)
[ -z "$missing" ] ||
	die "options the fragments set that Kconfig did not keep: $missing"

cmp -s "$obj/.config.want" "$obj/.config" || cp "$obj/.config.want" "$obj/.config"

# The whole tree is compiled when there is no kernel yet; the number of
# files the last whole compile made is the estimate of the next one.
total=0
[ -f "$obj/vmlinux" ] || total=$(cat "$obj/.compiled-files" 2>/dev/null || echo 800)
stage "kernel $name: compiling in $obj"
compiled=$(make -C "$src" O="$obj" -j"$(jobs)" bzImage headers 2>&1 |
	compile_progress "kernel $name" "$total")
[ "$total" = 0 ] || echo "$compiled" >"$obj/.compiled-files"
stage "kernel $name: built ($compiled files compiled)"
echo "$obj/arch/x86/boot/bzImage"
