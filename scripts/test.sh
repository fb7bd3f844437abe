#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite through ctest; the exit status is the result.
#   scripts/test.sh              the normal build (build/)
#   scripts/test.sh --sanitize   the same suite under AddressSanitizer and
#                                UndefinedBehaviorSanitizer (build-sanitize/)
# Extra arguments after -- go to ctest, e.g. scripts/test.sh -- -L unit
set -euo pipefail

cd "$(dirname "$0")/.."

build_dir=build
setup_options=()
ctest_options=()
while [ $# -gt 0 ]; do
    case "$1" in
    --sanitize)
        build_dir=build-sanitize
        setup_options+=(--sanitize)
        ;;
    --)
        shift
        ctest_options=("$@")
        break
        ;;
    *)
        echo "test.sh: unknown option '$1'; use --sanitize, or -- followed by ctest options" >&2
        exit 2
        ;;
    esac
    shift
done

scripts/setup.sh "${setup_options[@]}"

# halt_on_error makes the first sanitizer report fail the test instead of scrolling past.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" "${ctest_options[@]}"
