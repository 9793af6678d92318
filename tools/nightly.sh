#!/usr/bin/env bash
# Nightly run: the fuzzing, kill-trial and architecture-training tests at full size (TENSORLET_NIGHTLY=1 scales them from the
# fast samples of the normal `dotnet test` to the full counts), then one line "N passed, N failed".
# Run from anywhere: bash tools/nightly.sh   (extra arguments go to dotnet test, e.g. --no-build)
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 TENSORLET_NIGHTLY=1

log=$(mktemp)
# Detailed console output: the tests print their counts (mutations tried per reader, kill outcomes).
dotnet test Tensorlet.Tests -c Release --filter "Category=Fuzz|Category=KillTrial|Category=Training" \
  --logger "console;verbosity=detailed" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
rm -f "$log"
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
if [[ $passed -eq 0 && $failed -eq 0 ]]; then echo "no tests ran"; failed=1; fi
echo "nightly: $passed passed, $failed failed"
[[ $status -eq 0 && $failed -eq 0 ]]
