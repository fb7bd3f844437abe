#!/usr/bin/env bash
# Prints how many of the 1,000 real tickets in tests/data/endava_tickets.jsonl match at least
# one shipped workflow, and how many each workflow matches.
#   scripts/workflow-coverage.sh                      the counts
#   scripts/workflow-coverage.sh --list "Leaver"      the tickets one workflow matches
#   scripts/workflow-coverage.sh --unmatched          the tickets no workflow matches
# The tool is built in build/ (or $HALYARD_BUILD_DIR) and reads the workflows of this checkout,
# or of $HALYARD_SHARE_DIR when that is set.
set -euo pipefail

cd "$(dirname "$0")/.."

build_dir=${HALYARD_BUILD_DIR:-build}
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    cmake -S . -B "$build_dir" >/dev/null
fi
cmake --build "$build_dir" --target workflow-coverage >/dev/null

"$build_dir/workflow-coverage" --share "${HALYARD_SHARE_DIR:-$PWD}" "$@" \
    tests/data/endava_tickets.jsonl
