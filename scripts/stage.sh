#!/usr/bin/env bash
# Announce a stage of a make target, with the time since make started.
#
# usage: scripts/stage.sh MESSAGE...
set -euo pipefail
. "$(dirname "$0")/lib.sh"
stage "$@"
