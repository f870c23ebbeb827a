#!/usr/bin/env bash
# soak.sh: Signpost's soak and abuse run (`make soak`; not part of CI).
#
#   tests/ops/soak.sh [SIGNPOST_BINARY]        (default build/signpost)
#
# One server on a fresh seeded database, on 127.0.0.1 only, run as deployed
# (access log on, to /dev/null) with --max-per-ip $SOAK_MAX_PER_IP (256), so
# one address cannot take every connection slot (the defence the slow-client
# part relies on). Three parts, each PASS or FAIL:
#
#  1. load: wrk for SOAK_SECONDS (60) at SOAK_CONNECTIONS (200) connections
#     over a mix of routes (tests/ops/soak.lua: API lists with varied
#     filters and searches, API and HTML detail pages, HTML pages, the Open
#     Referral feed; half the requests accept gzip). PASS: zero socket
#     errors, zero non-2xx/3xx answers, and resident memory (VmRSS) at the
#     end within 5 % of its value after a 10 s warm-up. The URL set is fixed
#     (a few hundred URLs), so the response cache fills during the warm-up
#     and later growth would be a leak, not the cache.
#  2. slow clients: slowhttptest with SOAK_SLOW_CONNECTIONS (1000)
#     connections from 127.0.0.1 for SOAK_SLOW_SECONDS (30) each, first
#     slowloris (-H, slow headers), then slow body (-B, R-U-Dead-Yet), while
#     a curl loop from 127.0.0.2 times a request every 100 ms. PASS: every
#     curl answered 200 in under 100 ms (the maximum is printed).
#  3. injection: sqlmap (--batch --level 3 --risk 2) against the filtered
#     list URL (every query parameter) and against the write endpoint
#     (POST JSON with an editor token, every body field). PASS: sqlmap
#     finishes and reports nothing injectable.
#
# SOAK_PARTS (default "load slow-clients injection") runs only some parts;
# a part not run is SKIPPED, which is not a PASS.
#
# Missing tools are installed with apt-get (wrk, curl, slowhttptest,
# sqlmap). Every process started here is stopped by the EXIT trap. Exits 0
# when every part passes, 1 when one fails, 2 when it cannot run.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/signpost}
[[ -x $bin ]] || { echo "soak.sh: $bin is not an executable (run make first)" >&2; exit 2; }
bin=$(realpath "$bin")

soak_seconds=${SOAK_SECONDS:-60}
connections=${SOAK_CONNECTIONS:-200}
slow_seconds=${SOAK_SLOW_SECONDS:-30}
slow_connections=${SOAK_SLOW_CONNECTIONS:-1000}
max_per_ip=${SOAK_MAX_PER_IP:-256}
warmup=10
run_parts=" ${SOAK_PARTS:-load slow-clients injection} "
want() { [[ $run_parts == *" $1 "* ]]; }
for v in soak_seconds connections slow_seconds slow_connections max_per_ip; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -ge 1 ]] || { echo "soak.sh: $v must be a positive whole number" >&2; exit 2; }
done
(( soak_seconds > warmup )) || { echo "soak.sh: SOAK_SECONDS must be more than the ${warmup} s warm-up" >&2; exit 2; }
(( connections < max_per_ip )) || { echo "soak.sh: SOAK_CONNECTIONS must be below SOAK_MAX_PER_IP" >&2; exit 2; }

# ---- tools -------------------------------------------------------------------
SUDO=""
[[ $(id -u) == 0 ]] || SUDO=sudo
need_pkgs=()
for pair in wrk:wrk curl:curl slowhttptest:slowhttptest sqlmap:sqlmap; do
    command -v "${pair%%:*}" >/dev/null || need_pkgs+=("${pair#*:}")
done
if (( ${#need_pkgs[@]} )); then
    echo "soak.sh: installing ${need_pkgs[*]}"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null \
        || { echo "soak.sh: cannot install ${need_pkgs[*]}" >&2; exit 2; }
fi
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) >= slow_connections + 200 )) || echo "soak.sh: warning: only $(ulimit -n) file descriptors for ${slow_connections} slow connections"

# ---- processes and cleanup -------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/signpost-soak.XXXXXX")
pids=()
server_pid=""

stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}
cleanup() {
    local p
    for p in "${pids[@]}"; do stop_pid "$p"; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A verdict detail
parts=(load slow-clients injection)
for p in "${parts[@]}"; do verdict[$p]=SKIPPED; detail[$p]="not run"; done

summary() {
    echo
    echo "== soak summary (binary $bin)"
    local p failed=0
    for p in "${parts[@]}"; do
        printf '  %-13s %-7s %s\n' "$p" "${verdict[$p]}" "${detail[$p]}"
        [[ ${verdict[$p]} == PASS ]] || failed=1
    done
    return $failed
}

server_alive() { kill -0 "$server_pid" 2>/dev/null; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null; }

# ---- the server --------------------------------------------------------------
db=$work/soak.db
"$bin" migrate --db "$db" >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; echo "soak.sh: migrate failed" >&2; exit 2; }
token=$("$bin" token create --name soak-sqlmap --role editor --db "$db" 2>"$work/token.err") \
    || { cat "$work/token.err" >&2; echo "soak.sh: token create failed" >&2; exit 2; }
"$bin" serve --port 0 --bind 127.0.0.1 --db "$db" --max-per-ip "$max_per_ip" >/dev/null 2>"$work/server.err" &
server_pid=$!
pids+=("$server_pid")
port=""
for ((i = 0; i < 150; i++)); do
    port=$(sed -n 's#^signpost: listening on http://127\.0\.0\.1:\([0-9]*\)$#\1#p' "$work/server.err")
    [[ -n $port ]] && break
    server_alive || break
    sleep 0.1
done
[[ -n $port ]] || { cat "$work/server.err" >&2; echo "soak.sh: the server did not start" >&2; exit 2; }
base="http://127.0.0.1:$port"
echo "== signpost pid $server_pid on $base (--max-per-ip $max_per_ip); work dir $work"

# ---- part 1: load ---------------------------------------------------------------
if want load; then
# The URL set, from the seeded directory itself.
api=$(curl -sf "$base/api/v1/organisations?per_page=100") || { echo "soak.sh: cannot list organisations" >&2; exit 2; }
mapfile -t orgs < <(grep -o '"slug":"[^"]*","name"' <<<"$api" | sed 's/"slug":"\([^"]*\)".*/\1/')
mapfile -t audiences < <(curl -sf "$base/api/v1/audiences" | grep -o '"slug":"[^"]*"' | sed 's/"slug":"\(.*\)"/\1/')
mapfile -t topics < <(curl -sf "$base/api/v1/topics" | grep -o '"slug":"[^"]*"' | sed 's/"slug":"\(.*\)"/\1/')
mapfile -t services < <(curl -sf "$base/openreferral/v3/services?per_page=100" | grep -o '"id":"[^"]*","organization_id"' | sed 's/"id":"\([^"]*\)".*/\1/')
(( ${#orgs[@]} && ${#audiences[@]} && ${#topics[@]} && ${#services[@]} )) \
    || { echo "soak.sh: could not read slugs from the seeded directory" >&2; exit 2; }
words=(online help abuse report bullying child parent safety nude game)
{
    for a in "" "${audiences[@]}"; do
        for t in "" "${topics[@]}"; do
            q=""
            [[ -n $a ]] && q+="&audience=$a"
            [[ -n $t ]] && q+="&topic=$t"
            echo "/api/v1/organisations?per_page=10${q}"
        done
    done
    for w in "${words[@]}"; do
        echo "/api/v1/organisations?q=$w"
        echo "/api/v1/organisations?q=$w&page=1&per_page=5&audience=${audiences[0]}"
        echo "/organisations?q=$w"
    done
    for p in 1 2 3; do echo "/api/v1/organisations?page=$p&per_page=5"; done
    for s in "${orgs[@]}"; do
        echo "/api/v1/organisations/$s"
        echo "/organisations/$s"
    done
    for t in "${topics[@]}"; do echo "/topics/$t"; echo "/organisations?topic=$t"; done
    for a in "${audiences[@]}"; do echo "/organisations?audience=$a"; done
    for s in "${services[@]}"; do echo "/openreferral/v3/services/$s"; done
    for p in 1 2 3; do echo "/openreferral/v3/services?page=$p&per_page=10"; done
    printf '%s\n' / /help /about /organisations /api/v1/topics /api/v1/audiences /api/v1/help \
        /openreferral/v3/services /openreferral/v3/taxonomies /embed/organisations.html
} >"$work/urls.all"
# Every URL must be a 200 before the run, or the non-2xx count means nothing.
: >"$work/urls"
bad_urls=0
while read -r u; do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$base$u")
    if [[ $code == 200 ]]; then echo "$u" >>"$work/urls"; else echo "  (not used: $u answered $code)"; bad_urls=$((bad_urls + 1)); fi
done <"$work/urls.all"
n_urls=$(wc -l <"$work/urls")
(( bad_urls * 20 <= n_urls )) || { echo "soak.sh: too many URLs of the mix are not 200" >&2; exit 2; }

echo "== part 1: wrk -c $connections for ${soak_seconds}s over $n_urls URLs"
URLS_FILE="$work/urls" wrk -t2 -c"$connections" -d"${soak_seconds}s" --timeout 5s --latency \
    -s "$here/soak.lua" "$base" >"$work/wrk.out" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")
# Both samples are taken under load (the second 2 s before wrk stops):
# once the connections close, freed buffers make the RSS drop, which would
# hide a leak.
sleep "$warmup"
rss_warm=$(rss_kb)
sleep $((soak_seconds - warmup - 2))
rss_end=$(rss_kb)
wait "$wrk_pid"
wrk_rc=$?
rss_idle=$(rss_kb)
cat "$work/wrk.out"
requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
non2xx=$(awk -F': ' '/Non-2xx or 3xx responses/ {print $2}' "$work/wrk.out")
non2xx=${non2xx:-0}
sock=$(grep -o 'Socket errors:.*' "$work/wrk.out" || true)
sockerr=0
if [[ -n $sock ]]; then
    sockerr=$(sed 's/[^0-9 ]//g' <<<"${sock#Socket errors:}" | awk '{print $1 + $2 + $3 + $4}')
fi
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
if [[ -n $rss_warm && -n $rss_end ]]; then
    growth=$(awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { printf "%.2f", (b - a) * 100 / a }')
else
    growth=""
fi
echo "requests: ${requests:-?} (${rps:-?}/s); socket errors: $sockerr${sock:+ ($sock)}; non-2xx/3xx: $non2xx"
echo "VmRSS after ${warmup} s: ${rss_warm:-?} kB; at the end (2 s before wrk stops): ${rss_end:-?} kB; growth: ${growth:-?} %; after wrk: ${rss_idle:-?} kB"
d1="${requests:-?} requests, ${rps:-?}/s, socket errors $sockerr, non-2xx/3xx $non2xx, VmRSS ${rss_warm:-?} -> ${rss_end:-?} kB (${growth:-?} %)"
if [[ $wrk_rc == 0 && -n $requests && $sockerr == 0 && $non2xx == 0 && -n $growth ]] && server_alive \
    && awk -v g="$growth" 'BEGIN { exit !(g < 5) }'; then
    verdict[load]=PASS
else
    verdict[load]=FAIL
    server_alive || d1+="; the server died"
    [[ $wrk_rc == 0 ]] || d1+="; wrk exited $wrk_rc"
fi
detail[load]=$d1
fi

# ---- part 2: slow clients ------------------------------------------------------
metric() { curl -s -m 5 "$base/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
curl_loop() { # out_file stop_file: a request every 100 ms from 127.0.0.2
    local out=$1 stop=$2 i paths=(/api/v1/organisations?per_page=5 / /healthz /api/v1/organisations/nspcc)
    for ((i = 0; i < 3000; i++)); do
        [[ -e $stop ]] && break
        curl -s -o /dev/null -m 5 --interface 127.0.0.2 \
            -w "%{http_code} %{time_total} connect=%{time_connect} first-byte=%{time_starttransfer} $(date +%T.%N | cut -c1-12) ${paths[i % 4]}\n" \
            "$base${paths[i % 4]}" >>"$out" 2>/dev/null || echo "000 5 (curl failed) $(date +%T) ${paths[i % 4]}" >>"$out"
        sleep 0.1
    done
}
if want slow-clients; then
slow_ok=1
d2=""
for mode in H B; do
    if ! server_alive; then slow_ok=0; d2+=" the server died;"; break; fi
    if [[ $mode == H ]]; then name=slowloris; args=(-H -t GET -u "$base/organisations"); else
        name="slow body"; args=(-B -t POST -u "$base/api/v1/organisations" -f application/json -s 65536); fi
    echo
    echo "== part 2: slowhttptest -$mode ($name), $slow_connections connections from 127.0.0.1 for ${slow_seconds}s; curl from 127.0.0.2"
    slow_before=$(metric signpost_slow_clients_total)
    rm -f "$work/curl.$mode" "$work/stop.$mode"
    curl_loop "$work/curl.$mode" "$work/stop.$mode" &
    loop_pid=$!
    pids+=("$loop_pid")
    timeout $((slow_seconds + 60)) slowhttptest "${args[@]}" -c "$slow_connections" -r 200 -i 2 -l "$slow_seconds" -p 3 -x 24 \
        2>&1 | sed 's/\x1b\[[0-9;]*m//g' >"$work/slow.$mode"
    slow_rc=${PIPESTATUS[0]}
    touch "$work/stop.$mode"
    wait "$loop_pid"
    slow_after=$(metric signpost_slow_clients_total)
    grep -E 'Exit status|test type|number of connections|^.*connected:|service available' "$work/slow.$mode" | tail -8
    total=$(wc -l <"$work/curl.$mode")
    non200=$(awk '$1 != 200' "$work/curl.$mode" | wc -l)
    max=$(awk 'BEGIN {m = 0} $2 > m {m = $2} END {printf "%.4f", m}' "$work/curl.$mode")
    over=$(awk '$2 >= 0.1' "$work/curl.$mode" | wc -l)
    peak=$(grep -o 'connected:[[:space:]]*[0-9]*' "$work/slow.$mode" | awk '{print $2}' | sort -n | tail -1)
    echo "slowhttptest exit $slow_rc; its peak open connections: ${peak:-?}; slow clients dropped: $(( ${slow_after:-0} - ${slow_before:-0} ))"
    echo "curl from 127.0.0.2: $total requests, $non200 not 200, $over at 100 ms or more, max ${max}s"
    awk '$1 != 200 || $2 >= 0.1 {print "    slow or failed: " $0}' "$work/curl.$mode" | head -10
    d2+=" -$mode: $total curls, max ${max}s, $non200 non-200, $over >=100ms;"
    if (( total < 10 || non200 > 0 || over > 0 )); then slow_ok=0; fi
done
server_alive || { slow_ok=0; d2+=" the server died;"; }
(( slow_ok )) && verdict[slow-clients]=PASS || verdict[slow-clients]=FAIL
detail[slow-clients]=${d2# }
fi

# ---- part 3: injection -------------------------------------------------------------
sqlmap_run() { # name, then sqlmap arguments
    local name=$1; shift
    local out="$work/sqlmap.$name.log"
    echo
    echo "== part 3: sqlmap ($name)"
    timeout 1800 sqlmap --batch --level 3 --risk 2 --flush-session --disable-coloring --threads 4 \
        --timeout 10 --retries 1 --output-dir "$work/sqlmap" "$@" >"$out" 2>&1
    local rc=$?
    grep -E 'testing .*parameter|injectable|CRITICAL|ERROR|identified the following' "$out" | sort | uniq -c | sort -rn | head -15
    if grep -q 'identified the following injection point' "$out" \
        || grep -E "parameter '[^']*' (is vulnerable|appears to be .* injectable|seems to be .*injectable|is '.*' injectable)" "$out" >/dev/null; then
        echo "sqlmap ($name): INJECTABLE"
        return 1
    fi
    if grep -q 'all tested parameters do not appear to be injectable' "$out"; then
        echo "sqlmap ($name): nothing injectable (exit $rc)"
        return 0
    fi
    echo "sqlmap ($name): inconclusive (exit $rc); last lines:"
    tail -15 "$out"
    return 1
}
if want injection; then
inj_ok=1
d3=""
if server_alive; then
    if sqlmap_run list -u "$base/api/v1/organisations?q=x&audience=parents&topic=grooming&page=1&per_page=5" \
        -p q,audience,topic,page,per_page; then d3+="list: clean; "; else inj_ok=0; d3+="list: FAILED; "; fi
    body='{"slug":"sqlmap-probe","name":"Sqlmap probe","kind":"charity","coverage":"UK","source":"test","summary":"probe","website":"https://example.org/"}'
    if sqlmap_run write -u "$base/api/v1/organisations" --method POST --data "$body" \
        --headers "Authorization: Bearer $token"$'\n'"Content-Type: application/json" \
        -p slug,name,kind,coverage,source,summary,website; then d3+="write: clean"; else inj_ok=0; d3+="write: FAILED"; fi
else
    inj_ok=0
    d3="the server died before sqlmap"
fi
server_alive || { inj_ok=0; d3+="; the server died"; }
(( inj_ok )) && verdict[injection]=PASS || verdict[injection]=FAIL
detail[injection]=$d3
fi

if ! server_alive; then
    echo "== the server is gone; its stderr:"
    tail -20 "$work/server.err"
fi
summary
