#!/usr/bin/env bash
# run.sh: Signpost's HTTP benchmark. `make bench` runs it as
#
#   tests/bench/run.sh build/signpost
#
# In one run, with wrk (default -t2 -c100 -d10s) against loopback only:
#   1. nginx serving the exact bytes of GET /api/v1/organisations as a static
#      file: the reference every row is compared with;
#   2. signpost, the same URL over and over (answered from the response cache);
#   3. signpost, a distinct filtered search per request on the seed data
#      (search.lua: q/audience/topic/page plus a counter parameter, so every
#      request misses the response cache although the cache is on);
#      3g: the same with Accept-Encoding: gzip (informational);
#   4. signpost on a generated database of BENCH_ORGS (100,000) organisations
#      (gen.sh, cached under build/bench/): (a) distinct filtered searches,
#      (b) the cached list;
#   3c, 4c: cold searches, as people type them (search.lua "people" mode:
#      lead-ins, one to three words, one request in five with a typo) against
#      a server started with --search-memo off, so that no memo answers
#      them: the cost of a search nobody made before.
# It prints the machine, a table (req/s, p99 latency, ratio to nginx, non-2xx
# responses, socket errors, target, verdict), the server threads' CPU use and
# resident memory. A target that is missed prints MISSED; a run with non-2xx
# responses or socket errors prints INVALID. It exits 0 either way (it is a
# benchmark, not a test); it exits non-zero only when it cannot run at all.
#
# Environment: BENCH_DURATION (10s), BENCH_CONNECTIONS (100), BENCH_THREADS
# (wrk threads, 2), BENCH_ORGS (100000), BENCH_SERVER_THREADS (signpost
# --threads; default: signpost's own, one per CPU), BENCH_SERVER_ARGS (more
# `signpost serve` options, e.g. "--access-log off"; default: none, so the
# server runs as deployed, its access log going to a temporary file that the
# run reads for the time spent in the server per request), BENCH_IDLE_WAIT
# (seconds to wait, at most, before each run for other processes to go quiet:
# 10).
set -euo pipefail

usage() { echo "usage: tests/bench/run.sh SIGNPOST_BINARY" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
[[ -x $1 ]] || { echo "run.sh: $1 is not an executable (run make first)" >&2; exit 2; }
bin=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

duration=${BENCH_DURATION:-10s}
[[ $duration =~ ^[0-9]+$ ]] && duration="${duration}s"
[[ $duration =~ ^([0-9]+)(s|m)$ ]] || { echo "run.sh: BENCH_DURATION must be like 10s or 1m" >&2; exit 2; }
duration_s=${BASH_REMATCH[1]}
[[ ${BASH_REMATCH[2]} == m ]] && duration_s=$((duration_s * 60))
connections=${BENCH_CONNECTIONS:-100}
wrk_threads=${BENCH_THREADS:-2}
orgs=${BENCH_ORGS:-100000}
server_threads=${BENCH_SERVER_THREADS:-}
read -r -a server_extra <<<"${BENCH_SERVER_ARGS:-}"
for v in connections wrk_threads orgs; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -ge 1 ]] || { echo "run.sh: $v must be a positive whole number" >&2; exit 2; }
done
(( connections >= wrk_threads )) || { echo "run.sh: BENCH_CONNECTIONS must be >= BENCH_THREADS" >&2; exit 2; }

for tool in wrk nginx curl sqlite3 awk timeout; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (make deps-bench installs wrk and nginx-light)" >&2; exit 2; }
done

# ---- processes and cleanup ---------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/signpost-bench.XXXXXX")
pids=()

# Stops one process we started (and, for nginx, the workers it forked):
# TERM, up to 5 s, then KILL.
stop_pid() {
    local pid=$1 kids i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kids=$(pgrep -P "$pid" 2>/dev/null || true)
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    for k in $kids; do kill -KILL "$k" 2>/dev/null || true; done
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local i
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[i]}"; done
    pids=()
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "run.sh: $*" >&2; exit 1; }

# run_bounded SECONDS OUTFILE COMMAND...: runs COMMAND under timeout, output
# to OUTFILE, in the background and waited for, so that a signal to this
# script runs its trap (and cleanup) at once instead of after the command.
run_bounded() {
    local limit=$1 outfile=$2 pid rc=0
    shift 2
    timeout "$limit" "$@" >"$outfile" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait "$pid" || rc=$?
    local keep=() p
    for p in "${pids[@]}"; do [[ $p != "$pid" ]] && keep+=("$p"); done
    pids=("${keep[@]+"${keep[@]}"}")
    return "$rc"
}

# Starts signpost on database $1, stderr to $2, stdout (its access log, if
# it writes one) to $2.access, with more options $3...; sets sp_pid,
# sp_port and sp_access.
start_signpost() {
    local db=$1 log=$2 i
    shift 2
    sp_access=$log.access
    # --max-per-ip 0: wrk's connections all come from 127.0.0.1, as a
    # proxy's would (the default allows a sixteenth of the connections).
    local args=(serve --port 0 --bind 127.0.0.1 --db "$db" --max-per-ip 0 "$@")
    [[ -n $server_threads ]] && args+=(--threads "$server_threads")
    args+=("${server_extra[@]+"${server_extra[@]}"}")
    : > "$log"
    "$bin" "${args[@]}" >"$sp_access" 2>>"$log" &
    sp_pid=$!
    pids+=("$sp_pid")
    sp_port=""
    local t0
    t0=$(date +%s.%N)
    for ((i = 0; i < 300; i++)); do
        sp_port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log" | head -1)
        if [[ -n $sp_port ]]; then
            sp_started=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f s", b - a}')
            return 0
        fi
        kill -0 "$sp_pid" 2>/dev/null || { cat "$log" >&2; die "signpost exited at start"; }
        sleep 0.1
    done
    cat "$log" >&2
    die "signpost did not report listening within 30 s"
}

stop_signpost() {
    stop_pid "$sp_pid"
    local keep=() p
    for p in "${pids[@]}"; do [[ $p != "$sp_pid" ]] && keep+=("$p"); done
    pids=("${keep[@]+"${keep[@]}"}")
}

# curl to loopback, bounded.
fetch() { curl -sS --max-time 30 "$@"; }

rss_of() { # "VmRSS VmHWM" of pid, in MiB
    awk '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} END {printf "%.0f MiB (peak %.0f MiB)", r / 1024, h / 1024}' \
        "/proc/$1/status"
}

# Per-thread CPU ticks of pid and of its child processes (nginx's workers):
# "tid comm ticks" lines.
cpu_snapshot() {
    local p t stat rest
    for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
        for t in /proc/"$p"/task/*; do
            stat=$(cat "$t/stat" 2>/dev/null) || continue
            rest=${stat##*) }
            # after "pid (comm) ": utime is field 12, stime field 13
            awk -v tid="${t##*/}" -v comm="$(tr ' ' _ < "$t/comm" 2>/dev/null)" \
                '{print tid, comm, $12 + $13, $13}' <<<"$rest"
        done
    done
}

# CPU ticks this shell's reaped children used so far (wrk, once it has
# exited), into the variable named $1. `times` runs in this shell, not in a
# $(...) subshell, whose children would be its own.
children_ticks() {
    times > "$work/times"
    printf -v "$1" '%s' "$(awk -v hz="$hz" 'NR == 2 {
        n = split($0, f, " ")
        for (i = 1; i <= n; i++) { split(f[i], ms, "m"); sub("s", "", ms[2]); t += ms[1] * 60 + ms[2] }
        printf "%.0f", t * hz }' "$work/times")"
}

machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

hz=$(getconf CLK_TCK)
ncpu=$(nproc)
idle_wait=${BENCH_IDLE_WAIT:-10}

# Waits (at most idle_wait seconds) until the machine is quiet: under 20% of
# one CPU busy over half a second (our idle servers use next to nothing).
wait_idle() {
    local a b waited=0
    while :; do
        a=$(machine_ticks); sleep 0.5; b=$(machine_ticks)
        (( (b - a) * 100 * 2 < hz * 20 )) && break
        if (( waited >= idle_wait )); then
            echo "  WARNING: the machine stayed busy for ${idle_wait}s (other processes); measuring anyway"
            return 0
        fi
        sleep 1; waited=$((waited + 1))
    done
    (( waited == 0 )) || echo "  (waited ${waited}s for other processes to quieten)"
}

# ---- result bookkeeping --------------------------------------------------------
declare -A RPS P99 P50 NON2XX SOCKERR VALID NOTE CPU DISTURBED CPUREQ SRVP99
rows=()

# run_wrk ID LABEL URL SERVER_PID SCRIPT [wrk options...] [-- script args]
run_wrk() {
    local id=$1 label=$2 url=$3 spid=$4 script=$5; shift 5
    local out="$work/wrk-$id.txt" before mbefore wbefore after mafter wafter line
    local access="" lines_before=0
    if [[ $spid == "${sp_pid:-}" && -f ${sp_access:-} ]]; then
        access=$sp_access
        lines_before=$(wc -l < "$access")
    fi
    rows+=("$id")
    NOTE[$id]=$label
    wait_idle
    before=$(cpu_snapshot "$spid")
    mbefore=$(machine_ticks)
    children_ticks wbefore
    local opts=() rc=0
    while [[ $# -gt 0 && $1 != -- ]]; do opts+=("$1"); shift; done
    run_bounded $((duration_s + 60)) "$out" wrk -t"$wrk_threads" -c"$connections" -d"$duration" \
        --timeout 5s --latency "${opts[@]+"${opts[@]}"}" -s "$script" "$url" "$@" || rc=$?
    after=$(cpu_snapshot "$spid")
    mafter=$(machine_ticks)
    children_ticks wafter
    line=$(grep '^BENCH_RESULT ' "$out" | tail -1 || true)
    if [[ $rc -ne 0 || -z $line ]]; then
        echo "  wrk failed (exit $rc); its output:" >&2
        sed 's/^/    /' "$out" >&2
        RPS[$id]=0; P99[$id]=0; P50[$id]=0; NON2XX[$id]="?"; SOCKERR[$id]="?"; VALID[$id]=0; CPUREQ[$id]="-"
        CPU[$id]=""
        return 0
    fi
    local kv requests dur p50 p99 conn rd wr to st
    for kv in ${line#BENCH_RESULT }; do
        case ${kv%%=*} in
            requests) requests=${kv#*=} ;; duration_us) dur=${kv#*=} ;;
            p50_us) p50=${kv#*=} ;; p99_us) p99=${kv#*=} ;;
            connect) conn=${kv#*=} ;; read) rd=${kv#*=} ;; write) wr=${kv#*=} ;;
            timeout) to=${kv#*=} ;; status) st=${kv#*=} ;;
        esac
    done
    RPS[$id]=$(awk -v r="$requests" -v d="$dur" 'BEGIN {printf "%.0f", (d > 0) ? r / (d / 1e6) : 0}')
    P99[$id]=$p99
    P50[$id]=$p50
    NON2XX[$id]=$st
    SOCKERR[$id]=$((conn + rd + wr + to))
    if [[ $st -eq 0 && ${SOCKERR[$id]} -eq 0 && $requests -gt 0 ]]; then VALID[$id]=1; else VALID[$id]=0; fi
    if [[ ${SOCKERR[$id]} -ne 0 ]]; then
        NOTE[$id]+=" [socket errors: connect $conn, read $rd, write $wr, timeout $to]"
    fi
    # CPU: each server thread's share of one CPU, and the whole machine's use.
    local secs
    secs=$(awk -v d="$dur" 'BEGIN {print d / 1e6}')
    CPU[$id]=$(awk -v hz="$hz" -v secs="$secs" -v ncpu="$ncpu" -v mach=$((mafter - mbefore)) \
                   -v wrk=$((wafter - wbefore)) '
        NR == FNR { b[$1] = $3; bs[$1] = $4; next }
        { d = $3 - ($1 in b ? b[$1] : 0); pct = 100 * d / hz / secs; tot += pct
          sys += 100 * ($4 - ($1 in bs ? bs[$1] : 0)) / hz / secs
          if (pct >= 0.5) list = list sprintf("%s%s %.0f%%", list ? ", " : "", $2, pct) }
        END { m = 100 * mach / hz / secs; w = 100 * wrk / hz / secs; o = m - tot - w
              if (o < 0) o = 0
              printf "CPU (100%% = one CPU, %d%% = all): server %.0f%% [%s; kernel %.0f%%]; wrk %.0f%%; other %.0f%%",
                     100 * ncpu, tot, list ? list : "idle", sys, w, o
              if (o > 15) printf "  WARNING: other processes used CPU during this run" }' \
        <(echo "$before") <(echo "$after"))
    # Server CPU time per request, and (from the access log's "ms" field, if
    # the server writes one) the time the server spent on each request.
    local server_ticks
    server_ticks=$(awk 'NR == FNR { b[$1] = $3; next } { t += $3 - ($1 in b ? b[$1] : 0) } END { print t + 0 }' \
        <(echo "$before") <(echo "$after"))
    CPUREQ[$id]=$(awk -v t="$server_ticks" -v hz="$hz" -v r="$requests" \
        'BEGIN { if (r > 0) printf "%.1f", 1e6 * t / hz / r; else print "-" }')
    CPU[$id]+=$'\n'"      server CPU per request: ${CPUREQ[$id]} us"
    if [[ -n $access ]]; then
        local inside
        inside=$(tail -n +"$((lines_before + 1))" "$access" | sed -n 's/.*"ms":\([0-9.]*\).*/\1/p' | sort -n |
            awk '{ v[NR] = $1 }
                 END { if (!NR) exit
                       k = int(NR * 0.99); if (k < 1) k = 1
                       printf "%d %.3f %.3f", NR, v[int((NR + 1) / 2)], v[k] }')
        if [[ -n $inside ]]; then
            read -r n_in med_in p99_in <<<"$inside"
            SRVP99[$id]=$p99_in
            CPU[$id]+="; in the server (access log \"ms\", $n_in lines): median $med_in ms, p99 $p99_in ms"
        fi
    fi
    [[ ${CPU[$id]} == *WARNING* ]] && DISTURBED[$id]=1
    printf '  %-44s %9s req/s  p50 %s, p99 %s\n' "$label" "${RPS[$id]}" "$(fmt_lat "${P50[$id]}")" \
        "$(fmt_lat "$p99")"
    printf '      %s\n' "${CPU[$id]}"
}

fmt_lat() { awk -v u="$1" 'BEGIN { if (u >= 1000) printf "%.2f ms", u / 1000; else printf "%d us", u }'; }

# ---- machine -----------------------------------------------------------------------
echo "== Signpost benchmark  $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $ncpu CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r), $(awk '/^MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (each run's CPU line below says whether other processes took CPU during it)"
echo "signpost $("$bin" version 2>/dev/null || echo '?'), $(nginx -v 2>&1 | sed 's|.*: ||'), wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}'), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
echo "wrk -t$wrk_threads -c$connections -d$duration; signpost --threads ${server_threads:-default (one per CPU: $ncpu)}${BENCH_SERVER_ARGS:+ $BENCH_SERVER_ARGS}, access log to a temp file; everything on 127.0.0.1, sharing the same CPUs"
echo

cat "$here/report.lua" > "$work/static.lua"
cat "$here/search.lua" "$here/report.lua" > "$work/search.lua"

# Taxonomy slugs, from a running server: written to $work/audiences.txt, topics.txt.
taxonomy_files() {
    local base=$1
    fetch "$base/api/v1/audiences" | grep -o '"slug":"[^"]*"' | cut -d'"' -f4 > "$work/audiences.txt"
    fetch "$base/api/v1/topics" | grep -o '"slug":"[^"]*"' | cut -d'"' -f4 > "$work/topics.txt"
    [[ -s $work/audiences.txt && -s $work/topics.txt ]] || die "could not read the taxonomy from $base"
}

# Prints how many organisations each search word of file $2 finds: min,
# median and max of "total" over the words, and over word+topic.
hit_sample() {
    local base=$1 words=$2 w t i=0 totals=() ftotals=()
    mapfile -t topics < "$work/topics.txt"
    while read -r w; do
        [[ -z $w || $w == \#* ]] && continue
        totals+=("$(fetch "$base/api/v1/organisations?q=$w&per_page=1" | grep -o '"total":[0-9]*' | cut -d: -f2)")
        t=${topics[i % ${#topics[@]}]}
        ftotals+=("$(fetch "$base/api/v1/organisations?q=$w&topic=$t&per_page=1" | grep -o '"total":[0-9]*' | cut -d: -f2)")
        i=$((i + 1))
    done < "$words"
    stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {printf "min %d, median %d, max %d", v[1], v[int((NR + 1) / 2)], v[NR]}'; }
    echo "  search words ($i): q alone finds $(stats "${totals[@]}"); q+topic finds $(stats "${ftotals[@]}") organisations"
}

# ---- 1-3: seed data --------------------------------------------------------------------
echo "-- seed data (signpost migrate: the 19 real organisations)"
"$bin" migrate --db "$work/seed.db" >/dev/null 2>"$work/migrate.log" || { cat "$work/migrate.log" >&2; die "migrate failed"; }
start_signpost "$work/seed.db" "$work/signpost-seed.log"
sp_base="http://127.0.0.1:$sp_port"
fetch -o "$work/organisations.json" "$sp_base/api/v1/organisations"
fetch -o /dev/null "$sp_base/api/v1/organisations"   # now certainly cached
taxonomy_files "$sp_base"
echo "  signpost listening after $sp_started (pid $sp_pid, port $sp_port); GET /api/v1/organisations: $(wc -c < "$work/organisations.json") bytes"

# nginx: a foreground process with its own config, on a free loopback port.
ng=$work/nginx
mkdir -p "$ng/www/api/v1" "$ng/tmp"
cp "$work/organisations.json" "$ng/www/api/v1/organisations"
# Root's nginx workers run as nobody: they need to reach the file.
chmod a+x "$work"; chmod -R a+rX "$ng"
ng_pid=""; ng_port=""
for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue   # in use
    cat > "$ng/nginx.conf" <<EOF
worker_processes auto;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 65s;
    client_body_temp_path $ng/tmp/body;
    proxy_temp_path $ng/tmp/proxy;
    fastcgi_temp_path $ng/tmp/fastcgi;
    uwsgi_temp_path $ng/tmp/uwsgi;
    scgi_temp_path $ng/tmp/scgi;
    types { }
    default_type "application/json; charset=utf-8";
    server {
        listen 127.0.0.1:$port;
        root $ng/www;
        location / { }
    }
}
EOF
    nginx -e "$ng/error.log" -p "$ng" -c "$ng/nginx.conf" -g 'daemon off;' >"$ng/stdout.log" 2>&1 &
    ng_pid=$!
    pids+=("$ng_pid")
    for ((i = 0; i < 50; i++)); do
        kill -0 "$ng_pid" 2>/dev/null || break
        if curl -s --max-time 2 -o "$ng/check.json" "http://127.0.0.1:$port/api/v1/organisations" 2>/dev/null; then
            ng_port=$port; break
        fi
        sleep 0.1
    done
    [[ -n $ng_port ]] && break
    stop_pid "$ng_pid"
done
[[ -n $ng_port ]] || { cat "$ng/error.log" "$ng/stdout.log" >&2 2>/dev/null || true; die "nginx did not start"; }
cmp -s "$ng/check.json" "$work/organisations.json" || die "nginx does not serve the same bytes as signpost"
echo "  nginx $ng_pid on port $ng_port serves the same $(wc -c < "$ng/check.json") bytes"
echo

run_wrk nginx "1  nginx: static copy of /organisations" \
    "http://127.0.0.1:$ng_port/api/v1/organisations" "$ng_pid" "$work/static.lua"
run_wrk cached "2  signpost: /organisations (cached)" \
    "$sp_base/api/v1/organisations" "$sp_pid" "$work/static.lua"
hit_sample "$sp_base" "$here/words-seed.txt"
run_wrk search "3  signpost: distinct searches, seed" \
    "$sp_base/api/v1/organisations" "$sp_pid" "$work/search.lua" \
    -- "$here/words-seed.txt" "$work/audiences.txt" "$work/topics.txt"
run_wrk search_gz "3g signpost: same, Accept-Encoding: gzip" \
    "$sp_base/api/v1/organisations" "$sp_pid" "$work/search.lua" -H 'Accept-Encoding: gzip' \
    -- "$here/words-seed.txt" "$work/audiences.txt" "$work/topics.txt"
run_wrk html "5  signpost: HTML results page, distinct, seed" \
    "$sp_base/organisations" "$sp_pid" "$work/search.lua" \
    -- "$here/words-seed.txt" "$work/audiences.txt" "$work/topics.txt" /organisations
rss_seed=$(rss_of "$sp_pid")
echo "  signpost resident memory after the seed runs: $rss_seed"
stop_signpost
start_signpost "$work/seed.db" "$work/signpost-seed-cold.log" --search-memo off
sp_base="http://127.0.0.1:$sp_port"
run_wrk search_cold "3c signpost: cold people's searches, seed" \
    "$sp_base/api/v1/organisations" "$sp_pid" "$work/search.lua" \
    -- "$here/words-seed.txt" "$work/audiences.txt" "$work/topics.txt" /api/v1/organisations people
stop_signpost
echo

# ---- 4: generated database ----------------------------------------------------------------
echo "-- generated database: $orgs organisations"
cache_dir=$root/build/bench
mkdir -p "$cache_dir"
key=$( { for f in "$root"/db/*.sql "$here/gen.sh"; do echo "== ${f##*/}"; cat "$f"; done; echo "orgs=$orgs"; } \
      | sha256sum | cut -c1-16)
big=$cache_dir/orgs-$orgs-$key.db
if [[ -f $big ]]; then
    echo "  using cached $(realpath --relative-to="$root" "$big")"
else
    rm -f "$cache_dir"/orgs-"$orgs"-*.db
    echo "  generating $(realpath --relative-to="$root" "$big") (cached for later runs)..."
    t0=$(date +%s.%N)
    gen_rc=0
    run_bounded 600 "$work/gen.log" "$here/gen.sh" "$bin" "$big" "$orgs" || gen_rc=$?
    sed 's/^/  /' "$work/gen.log"
    [[ $gen_rc -eq 0 && -f $big ]] || die "generation failed (exit $gen_rc)"
    echo "  generated in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
fi
cp "$big" "$work/big.db"
echo "  database: $(du -m "$work/big.db" | cut -f1) MiB"
start_signpost "$work/big.db" "$work/signpost-big.log"
sp_base="http://127.0.0.1:$sp_port"
echo "  signpost listening after $sp_started (pid $sp_pid, port $sp_port)"
t0=$(date +%s.%N)
fetch -o "$work/big-list.json" "$sp_base/api/v1/organisations"
echo "  first request (builds the in-memory index if startup did not): $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f ms", 1000 * (b - a)}'); total $(grep -o '"total":[0-9]*' "$work/big-list.json" | cut -d: -f2)"
taxonomy_files "$sp_base"
hit_sample "$sp_base" "$here/words-100k.txt"
run_wrk big_search "4a signpost: distinct searches, $((orgs / 1000))k orgs" \
    "$sp_base/api/v1/organisations" "$sp_pid" "$work/search.lua" \
    -- "$here/words-100k.txt" "$work/audiences.txt" "$work/topics.txt"
run_wrk big_cached "4b signpost: /organisations (cached), $((orgs / 1000))k" \
    "$sp_base/api/v1/organisations" "$sp_pid" "$work/static.lua"
rss_big=$(rss_of "$sp_pid")
echo "  signpost resident memory after the $orgs-organisation runs: $rss_big"
stop_signpost
start_signpost "$work/big.db" "$work/signpost-big-cold.log" --search-memo off
sp_base="http://127.0.0.1:$sp_port"
fetch -o /dev/null "$sp_base/api/v1/organisations?q=warm+the+vocabulary"
run_wrk big_cold "4c signpost: cold people's searches, $((orgs / 1000))k" \
    "$sp_base/api/v1/organisations" "$sp_pid" "$work/search.lua" \
    -- "$here/words-100k.txt" "$work/audiences.txt" "$work/topics.txt" /api/v1/organisations people
stop_signpost
echo

# ---- the table ----------------------------------------------------------------------------
target_of() {
    case $1 in
        cached) echo "ratio 1.0" ;;
        search) echo "rps 30000" ;;
        big_search) echo "rps 5000" ;;
        big_cold) echo "cold 3000 10" ;;
        *) echo "" ;;
    esac
}

nginx_rps=${RPS[nginx]:-0}
[[ ${VALID[nginx]:-0} == 1 ]] || echo "NOTE: the nginx reference run is INVALID: ratios are not meaningful"
missed=0 invalid=0
printf '%-46s %8s %10s %8s %9s %7s %8s  %-16s %s\n' "run" "req/s" "p99" "vs nginx" "CPU/req" "non-2xx" "sock err" "target" "result"
printf '%s\n' "$(printf '%.0s-' {1..136})"
for id in "${rows[@]}"; do
    ratio=$(awk -v a="${RPS[$id]}" -v b="$nginx_rps" 'BEGIN {if (b > 0) printf "%.3fx", a / b; else print "-"}')
    read -r kind value limit <<<"$(target_of "$id")"
    target="-" result="info"
    case $kind in
        cold)  target=">= $value/s, p99 < $limit ms in server"
               ok=$(awk -v a="${RPS[$id]}" -v t="$value" -v p="${SRVP99[$id]:-}" -v l="$limit" \
                    'BEGIN {print (a >= t && p != "" && p < l) ? 1 : 0}') ;;
        ratio) target=">= ${value}x nginx"
               ok=$(awk -v a="${RPS[$id]}" -v b="$nginx_rps" -v t="$value" 'BEGIN {print (b > 0 && a / b >= t) ? 1 : 0}') ;;
        rps)   target=">= $value req/s"
               ok=$(awk -v a="${RPS[$id]}" -v t="$value" 'BEGIN {print (a >= t) ? 1 : 0}') ;;
    esac
    if [[ -n $kind ]]; then
        if [[ $ok == 1 ]]; then result="met"; else result="MISSED"; missed=$((missed + 1)); fi
    fi
    [[ -n ${DISTURBED[$id]:-} ]] && result+=" (machine busy: see CPU line)"
    if [[ ${VALID[$id]} != 1 ]]; then
        result="INVALID (errors: not a valid result)"; invalid=$((invalid + 1))
    fi
    label=${NOTE[$id]%% \[*}
    printf '%-46s %8s %10s %8s %9s %7s %8s  %-16s %s\n' "$label" "${RPS[$id]}" "$(fmt_lat "${P99[$id]}")" \
        "$ratio" "${CPUREQ[$id]} us" "${NON2XX[$id]}" "${SOCKERR[$id]}" "$target" "$result"
done
echo "CPU/req: CPU time the server (nginx: master and workers; signpost: all threads) used per"
echo "request during the run, user + kernel. It depends much less than req/s on what else runs."
echo
echo "resident memory (VmRSS): seed server $rss_seed; $orgs-organisation server $rss_big"
for id in "${rows[@]}"; do
    [[ ${NOTE[$id]} == *"[socket errors"* ]] && echo "${NOTE[$id]}"
done
echo "targets: $((missed)) MISSED, $((invalid)) INVALID runs (exit status is 0 regardless: this is a benchmark)"
exit 0
