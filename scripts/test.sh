#!/usr/bin/env bash
# Runs every test (unit and integration on Azurite, real agents, real git and shellcheck) after setting up
# what they need. Ends with the line "Tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit 1

results="$(pwd)/TestResults"
rm -rf "$results"
dotnet test tests/ReviewBot.Tests --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "Tests: 0 passed, 1 failed"
  echo "test.sh: no test results were written (the test run did not start)" >&2
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
num() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(num passed); failed=$(num failed); errors=$(num error); timeouts=$(num timeout); aborted=$(num aborted)
failed=$(( ${failed:-0} + ${errors:-0} + ${timeouts:-0} + ${aborted:-0} ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$failed" -ne 0 ]; then
  # The console log is long and CI keeps only its tail: name the failures (with their first message line) last.
  echo "Failed tests:"
  # Each failure's message up to 15 lines (a browser assertion says what it expected, what it found and its call log).
  tr -d '\r' < "$trx" | awk '
    /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1; next }
    want && /<Message>/ { sub(/.*<Message>/, ""); inmsg = 1; lines = 0; print "  " name ":" }
    inmsg { done = sub(/<\/Message>.*/, ""); if (++lines <= 15) print "      " substr($0, 1, 300); if (done) { inmsg = 0; want = 0 } ; next }
    want && /<\/UnitTestResult>/ { print "  " name; want = 0 }'
fi
echo "Tests: ${passed:-0} passed, ${failed} failed"
[ "$failed" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
