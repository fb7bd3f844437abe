#!/usr/bin/env bash
# Measures the shipped policies on the held-out part of their labelled data and prints the
# figures: recall and precision of config/policies/sensitive.lua on tests/data/sensitive/, and
# accuracy and false approvals of config/policies/approval.lua on tests/data/replies/.
# Exit status 0 only when both meet their goals (see docs/policies.md).
#
# Held-out rows are for measuring only: read the figures, never the rows, when tuning a policy.
set -u

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if ! command -v lua5.4 > /dev/null; then
    echo "policy-eval: lua5.4 is missing; run scripts/setup.sh first" >&2
    exit 2
fi

status=0
echo "== sensitive tickets (goal: recall >= 0.98, precision >= 0.90 on each file)"
lua5.4 tests/policies/sensitive_eval.lua --split heldout || status=1
echo
echo "== approval replies (goal: accuracy >= 0.95 and no approval from a deny or neutral reply)"
lua5.4 tests/policies/approval_eval.lua || status=1
echo
if [ "$status" -eq 0 ]; then
    echo "policy-eval: both policies meet their goals"
else
    echo "policy-eval: a policy misses its goal (figures above)"
fi
exit "$status"
