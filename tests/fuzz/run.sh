#!/bin/sh
# run.sh [SECONDS]: builds the libFuzzer harnesses (build.sh) and runs each
# for SECONDS (default 60) on its committed corpus, tests/fuzz/corpus/<name>/
# (read only), and the inputs it found before, build-fuzz/corpus/<name>/
# (where new ones go). Stops at the first crash, leak, timeout or broken
# invariant with a non-zero exit, the input saved as build-fuzz/crashes/
# <name>-crash-*. The last line is "N passed, M failed".
set -u

SECONDS_EACH=${1:-60}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/build-fuzz"
HERE="$ROOT/tests/fuzz"

"$HERE/build.sh" || { echo "0 passed, 1 failed (build)"; exit 1; }
mkdir -p "$OUT/corpus" "$OUT/crashes" "$OUT/logs"

# harness and the longest input it is given
HARNESSES="
fuzz_query 8300
fuzz_words 1024
fuzz_escape 4096
fuzz_json_body 16384
fuzz_template 4096
fuzz_search 512
fuzz_frame 4096
fuzz_cookie 9000
fuzz_multipart 16384
"

passed=0
failed=0
for name in $(echo "$HARNESSES" | awk 'NF { print $1 }'); do
    max_len=$(echo "$HARNESSES" | awk -v n="$name" '$1 == n { print $2 }')
    mkdir -p "$OUT/corpus/$name"
    dict=""
    [ -f "$HERE/dict/$name.dict" ] && dict="-dict=$HERE/dict/$name.dict"
    log="$OUT/logs/$name.log"
    echo "== $name (${SECONDS_EACH}s, max_len $max_len)"
    # shellcheck disable=SC2086 # $dict is one word or none
    "$OUT/$name" -max_total_time="$SECONDS_EACH" -max_len="$max_len" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 $dict \
        -artifact_prefix="$OUT/crashes/$name-" \
        "$OUT/corpus/$name" "$HERE/corpus/$name" >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        failed=$((failed + 1))
        tail -n 40 "$log"
        echo "$name FAILED (exit $rc); full log: $log"
        grep -h "^artifact_prefix\|Test unit written to" "$log" | tail -n 1
        echo "$passed passed, $failed failed"
        exit 1
    fi
    passed=$((passed + 1))
    done_line=$(grep "DONE" "$log" | tail -n 1)
    cov=$(echo "$done_line" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$done_line" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$done_line" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    echo "$name ok: $runs runs, $speed exec/s, cov $cov, ft $ft, corpus $corp"
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
