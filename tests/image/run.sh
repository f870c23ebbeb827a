#!/usr/bin/env bash
# tests/image/run.sh (`make image-test`): builds the Dockerfile's image and
# tries it as docs/deploy.md runs it: health, the pages, the non-root user,
# a token made with `docker exec`, a write through the curators' API that
# survives `docker restart`, and a clean stop within the grace period. Every
# check prints PASS or FAIL; the exit status is non-zero if any failed.
#
# - Docker: uses the daemon that answers; if none does, starts dockerd in the
#   background and stops it again at the end.
# - The base: debian:bookworm-slim is used as it is when present. Otherwise
#   (no registry needed) it is made with debootstrap from the Debian mirror
#   apt uses here, trimmed as Docker's slim images are, and imported; the
#   root file system is kept as a tarball in $IMAGE_TEST_CACHE
#   (/var/cache/signpost-image-test), so that is done once.
# - Everything it makes is named signpost-image-test-<pid>-<n> and removed on
#   the way out, whatever happened (container, volume, image, the build
#   stage): only the base image stays.
#
# Environment: VERSION (default `git describe --always --dirty`),
# IMAGE_TEST_MIRROR and IMAGE_TEST_SECURITY_MIRROR (default: what apt uses),
# IMAGE_TEST_CACHE, DOCKERD_FLAGS (extra flags when it starts dockerd).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
BASE=debian:bookworm-slim
SUITE=bookworm
CACHE=${IMAGE_TEST_CACHE:-/var/cache/signpost-image-test}
ID="$$-$RANDOM"
NAME=signpost-image-test-$ID          # the container, and the volume
TAG=signpost-image-test:$ID           # the image
VERSION=${VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/signpost-image-test.XXXXXX")
PASSED=0
FAILED=0
DOCKER=(docker)
DOCKERD_PID=
T0=$(date +%s)

pass() { PASSED=$((PASSED + 1)); echo "PASS: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
# A failure that leaves nothing further to check.
fatal() { fail "$*"; exit 1; }
note() { echo "== $*"; }
dk() { "${DOCKER[@]}" "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [ -n "${DOCKER_UP:-}" ]; then
        dk rm -f -v "$NAME" "$NAME-version" >/dev/null 2>&1
        dk volume rm -f "$NAME" >/dev/null 2>&1
        # The image (and the untagged layers under it, down to the base,
        # which stays), then what the classic builder leaves untagged (the
        # build stage; the steps done when a build fails). Its log names
        # every image it made or took from its cache, in order (" ---> ID"
        # after each step); from the last, each with no tag and nothing
        # built on it is removed with those under it. BuildKit's log names
        # none and leaves no images.
        dk rmi "$TAG" >/dev/null 2>&1
        local base_id layer layers=
        base_id=$(dk image inspect -f '{{.Id}}' "$BASE" 2>/dev/null | sed 's/^sha256://' | cut -c1-12)
        [ ! -f "$WORK/build.log" ] ||
            layers=$(sed -n 's/^ ---> \([0-9a-f]\{12\}\)$/\1/p' "$WORK/build.log" | grep -vx "${base_id:-none}")
        for layer in $(tac <<<"$layers"); do
            dk image inspect "$layer" >/dev/null 2>&1 || continue
            [ "$(dk image inspect -f '{{len .RepoTags}}' "$layer")" = 0 ] || continue
            dk rmi "$layer" >/dev/null 2>&1
        done
        if [ -n "$(dk ps -a -q --filter "name=$NAME")" ] ||
           [ -n "$(dk volume ls -q --filter "name=$NAME")" ] ||
           [ -n "$(dk images -q --filter "reference=signpost-image-test:$ID*")" ]; then
            echo "FAIL: cleanup left a container, volume or image named $NAME"
            rc=1
        fi
        local left=0
        for layer in $layers; do
            dk image inspect "$layer" >/dev/null 2>&1 && left=$((left + 1))
        done
        [ "$left" = 0 ] || echo "note: $left of the build's layers are kept: another image is built on them"
    fi
    if [ -n "$DOCKERD_PID" ]; then
        note "stopping the dockerd this test started (pid $DOCKERD_PID)"
        $SUDO kill -TERM "$DOCKERD_PID" 2>/dev/null
        for _ in $(seq 60); do $SUDO kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
        $SUDO kill -0 "$DOCKERD_PID" 2>/dev/null && echo "warning: dockerd $DOCKERD_PID still running"
    fi
    rm -rf "$WORK"
    echo "== image-test: $PASSED passed, $FAILED failed, $(( $(date +%s) - T0 )) s in all"
    [ "$rc" = 0 ] && [ "$FAILED" -gt 0 ] && rc=1
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT
trap 'echo "terminated"; exit 143' TERM

command -v curl >/dev/null || fatal "curl is missing (make image-test installs it)"
command -v docker >/dev/null || fatal "no docker client (make image-test installs docker.io)"

# ---- the daemon ---------------------------------------------------------------
t=$(now)
if ! dk info >/dev/null 2>&1; then
    if [ -n "$SUDO" ] && sudo docker info >/dev/null 2>&1; then
        DOCKER=(sudo docker)
    else
        command -v dockerd >/dev/null || fatal "no Docker daemon answers and there is no dockerd"
        note "no Docker daemon answers: starting dockerd (log: $WORK/dockerd.log)"
        # Its own session, so a Ctrl-C reaches this script (which cleans up
        # through the daemon) and not the daemon.
        # shellcheck disable=SC2086 # DOCKERD_FLAGS is a list of flags
        $SUDO setsid dockerd ${DOCKERD_FLAGS:-} >"$WORK/dockerd.log" 2>&1 </dev/null &
        DOCKERD_PID=$!
        for _ in $(seq 120); do
            dk info >/dev/null 2>&1 && break
            $SUDO kill -0 "$DOCKERD_PID" 2>/dev/null || break
            sleep 0.5
        done
        if ! dk info >/dev/null 2>&1; then
            tail -n 30 "$WORK/dockerd.log"
            $SUDO kill -0 "$DOCKERD_PID" 2>/dev/null || DOCKERD_PID=
            fatal "dockerd did not start"
        fi
        # sudo's pid is not the daemon's; the daemon's is in its pidfile.
        if [ -n "$SUDO" ] && [ -r /var/run/docker.pid ]; then DOCKERD_PID=$(cat /var/run/docker.pid); fi
    fi
fi
DOCKER_UP=1
pass "Docker daemon answers (server $(dk version -f '{{.Server.Version}}' 2>/dev/null), $(since "$t") s)"

# ---- the base image -------------------------------------------------------------
# The URI apt here uses for a suite, from one-line .list files or deb822
# .sources files; nothing if none names it.
apt_uri() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v s="$1" '$1 == "deb" {
            i = 2
            if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
            if ($(i + 1) == s) { print $i; exit }
        }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v s="$1" 'BEGIN { RS = ""; FS = "\n" } {
            types = uris = suites = ""; enabled = "yes"
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^[ \t]*#/) continue
                n = index($i, ":"); if (!n) continue
                k = tolower(substr($i, 1, n - 1)); v = substr($i, n + 1)
                if (k == "types") types = v; else if (k == "uris") uris = v
                else if (k == "suites") suites = v; else if (k == "enabled") enabled = tolower(v)
            }
            if (types !~ /(^|[ \t])deb([ \t]|$)/ || enabled ~ /no/) next
            ns = split(suites, S, /[ \t]+/); nu = split(uris, U, /[ \t]+/)
            for (j = 1; j <= ns; j++) if (S[j] == s)
                for (u = 1; u <= nu; u++) if (U[u] != "") { print U[u]; exit }
        }' "$f"
    done
}

make_base() {
    local mirror updates security key tarball root
    mirror=${IMAGE_TEST_MIRROR:-$(apt_uri "$SUITE" | head -n 1)}
    [ -n "$mirror" ] || fatal "no apt source for $SUITE in /etc/apt (set IMAGE_TEST_MIRROR)"
    updates=$(apt_uri "$SUITE-updates" | head -n 1)
    security=${IMAGE_TEST_SECURITY_MIRROR:-$(apt_uri "$SUITE-security" | head -n 1)}
    # The image's apt must reach the same mirror, and accept it as apt here
    # does (a snapshot mirror's Release files are past their Valid-Until).
    {
        echo "deb $mirror $SUITE main"
        [ -z "$updates" ] || echo "deb $updates $SUITE-updates main"
        [ -z "$security" ] || echo "deb $security $SUITE-security main"
    } >"$WORK/sources.list"
    apt-config dump 2>/dev/null | grep -E '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy) ' \
        >"$WORK/apt.conf" || true
    key=$(cat "$WORK/sources.list" "$WORK/apt.conf" | sha256sum | cut -c1-12)
    tarball="$CACHE/$SUITE-minbase-$key.tar"
    note "mirror $mirror$([ -z "$security" ] || echo ", security $security")"
    if [ ! -s "$tarball" ]; then
        command -v debootstrap >/dev/null || fatal "debootstrap is missing (make image-test installs it)"
        note "debootstrap --variant=minbase $SUITE (once; cached as $tarball)"
        $SUDO mkdir -p "$CACHE" || fatal "cannot create $CACHE"
        root="$CACHE/rootfs.$ID"
        if ! $SUDO debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$WORK/debootstrap.log" 2>&1; then
            tail -n 30 "$WORK/debootstrap.log"
            $SUDO rm -rf "$root"
            fatal "debootstrap failed"
        fi
        # What Docker's debian:*-slim images do: no docs, man pages or
        # locales; no .deb or list left behind by apt; no services started
        # during a build.
        # shellcheck disable=SC2016 # expanded by that sh
        $SUDO sh -e -c '
            r=$1
            cp "$2" "$r/etc/apt/sources.list"
            rm -f "$r"/etc/apt/sources.list.d/*
            if [ -s "$3" ]; then cp "$3" "$r/etc/apt/apt.conf.d/90image-test-mirror"; fi
            cat >"$r/etc/apt/apt.conf.d/docker-clean" <<"EOF"
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
            echo "Acquire::Languages \"none\";" >"$r/etc/apt/apt.conf.d/docker-no-languages"
            echo "Acquire::GzipIndexes \"true\";" >"$r/etc/apt/apt.conf.d/docker-gzip-indexes"
            echo "Apt::AutoRemove::SuggestsImportant \"false\";" >"$r/etc/apt/apt.conf.d/docker-autoremove-suggests"
            cat >"$r/etc/dpkg/dpkg.cfg.d/docker" <<"EOF"
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
            printf "#!/bin/sh\nexit 101\n" >"$r/usr/sbin/policy-rc.d"
            chmod 0755 "$r/usr/sbin/policy-rc.d"
            find "$r/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
            find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete
            rm -rf "$r"/usr/share/groff/* "$r"/usr/share/info/* "$r"/usr/share/linda/* \
                   "$r"/usr/share/lintian/* "$r"/usr/share/locale/* "$r"/usr/share/man/*
            rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin \
                   "$r"/var/lib/apt/lists/* "$r"/var/log/*.log "$r"/var/log/apt/* "$r"/tmp/*
            : >"$r/etc/machine-id"
            rm -f "$r/etc/hostname" "$r/etc/resolv.conf"
        ' sh "$root" "$WORK/sources.list" "$WORK/apt.conf" || { $SUDO rm -rf "$root"; fatal "trimming the root file system failed"; }
        if ! { $SUDO tar --numeric-owner -C "$root" -cf "$tarball.tmp" . &&
               $SUDO mv "$tarball.tmp" "$tarball"; }; then
            $SUDO rm -rf "$root" "$tarball.tmp"
            fatal "tar failed"
        fi
        $SUDO rm -rf "$root"
    else
        note "root file system from the cache: $tarball"
    fi
    $SUDO cat "$tarball" | dk import --change 'CMD ["bash"]' \
        --message "debootstrap --variant=minbase $SUITE $mirror (tests/image/run.sh)" - "$BASE" >/dev/null ||
        fatal "docker import of $tarball failed"
}

t=$(now)
if dk image inspect "$BASE" >/dev/null 2>&1; then
    pass "base image $BASE present, used as it is"
else
    note "$BASE is not here (and no registry is needed): making it"
    make_base
    dk image inspect "$BASE" >/dev/null 2>&1 || fatal "no $BASE after the import"
    pass "base image $BASE made ($(since "$t") s)"
fi

# ---- build ----------------------------------------------------------------------
note "docker build --build-arg VERSION=$VERSION -t $TAG (the log is shown if it fails)"
t=$(now)
if dk build --network host --force-rm --build-arg VERSION="$VERSION" \
        -t "$TAG" . >"$WORK/build.log" 2>&1; then
    grep -m1 -iE 'sending build context|transferring context: [0-9.]+[kMG]?B' "$WORK/build.log" |
        sed 's/^ */   /'
    pass "docker build ($(since "$t") s)"
else
    tail -n 60 "$WORK/build.log"
    fatal "docker build ($(since "$t") s)"
fi

out=$(dk run --rm --name "$NAME-version" "$TAG" version 2>&1)
if [ "$out" = "signpost $VERSION" ]; then
    pass "the image's binary reports the build's version: $out"
else
    fail "version: expected 'signpost $VERSION', got '$out'"
fi

# ---- run ------------------------------------------------------------------------
# As docs/deploy.md runs it, hardened as it says it can be; the port is a
# free one on the loopback address (Docker picks it); the health check every
# 2 s instead of 30 so that `healthy` comes quickly.
t=$(now)
dk volume create "$NAME" >/dev/null || fatal "docker volume create $NAME"
if ! dk run -d --name "$NAME" -p 127.0.0.1::8080 -v "$NAME:/data" \
        --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
        --health-interval=2s --health-start-period=20s \
        "$TAG" >/dev/null; then
    fatal "docker run"
fi

PORT=
BASE_URL=
# Waits for /healthz to answer (the published port is asked again: after a
# restart Docker may pick another).
wait_up() {
    PORT=$(dk port "$NAME" 8080/tcp 2>/dev/null | head -n 1 | sed 's/.*://')
    BASE_URL="http://127.0.0.1:$PORT"
    for _ in $(seq 100); do
        [ -n "$PORT" ] && curl -fsS -o /dev/null --max-time 2 "$BASE_URL/healthz" 2>/dev/null && return 0
        [ "$(dk inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" = true ] || break
        sleep 0.3
        [ -n "$PORT" ] || PORT=$(dk port "$NAME" 8080/tcp 2>/dev/null | head -n 1 | sed 's/.*://')
        BASE_URL="http://127.0.0.1:$PORT"
    done
    dk logs --tail 30 "$NAME" 2>&1
    return 1
}
# get PATH OUTFILE: prints "STATUS CONTENT-TYPE".
get() { curl -sS -o "$2" -w '%{http_code} %{content_type}' --max-time 10 "$BASE_URL$1"; }

wait_up || fatal "the server did not answer on 127.0.0.1:${PORT:-?}"
pass "container up on 127.0.0.1:$PORT, read-only, no capabilities ($(since "$t") s)"

read -r code _ < <(get /healthz "$WORK/healthz")
if [ "$code" = 200 ]; then pass "GET /healthz: 200"; else fail "GET /healthz: $code"; fi

read -r code ctype < <(get / "$WORK/home")
if [ "$code" = 200 ] && [[ $ctype == text/html* ]] && grep -qi '<html' "$WORK/home"; then
    pass "GET /: 200, $ctype, $(wc -c <"$WORK/home") bytes of HTML"
else
    fail "GET /: $code, '$ctype'"
fi

t=$(now)
health=
for _ in $(seq 120); do
    health=$(dk inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$NAME" 2>/dev/null)
    [ "$health" = healthy ] || [ "$health" = unhealthy ] && break
    sleep 0.5
done
if [ "$health" = healthy ]; then
    pass "the HEALTHCHECK reports healthy ($(since "$t") s)"
else
    fail "the HEALTHCHECK reports '$health' after $(since "$t") s"
    dk inspect -f '{{json .State.Health}}' "$NAME" 2>&1 | head -c 2000; echo
fi

uid=$(dk exec "$NAME" id -u 2>&1)
status=$(dk exec "$NAME" cat /proc/1/status 2>&1)
comm=$(dk exec "$NAME" cat /proc/1/comm 2>&1)
uids=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' <<<"$status")
gids=$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' <<<"$status")
if [ "$uid" = 10001 ] && [ "$uids" = "10001 10001 10001 10001" ] &&
   [ "$gids" = "10001 10001 10001 10001" ] && [ "$comm" = signpost ]; then
    pass "pid 1 is signpost as uid/gid 10001 (not root); docker exec runs as uid $uid"
else
    fail "user: exec id -u '$uid', pid 1 '$comm' Uid '$uids' Gid '$gids'"
fi

dk logs "$NAME" >"$WORK/stdout" 2>"$WORK/stderr"
if grep -q '^{"time":"[^"]*","method":"GET","route":"/healthz","status":200,' "$WORK/stdout"; then
    pass "the JSON access log is on stdout (docker logs)"
else
    fail "no access log line for /healthz in docker logs"
fi

# ---- a token and a write that survives a restart --------------------------------
TOKEN=$(dk exec "$NAME" signpost token create --name image-test --role editor 2>"$WORK/token.err")
if [[ $TOKEN =~ ^sp_[A-Za-z0-9_-]{43}$ ]]; then
    pass "docker exec $NAME signpost token create --name image-test --role editor: a token"
else
    fail "token create printed '$TOKEN' ($(cat "$WORK/token.err"))"
fi

ORG=/api/v1/organisations/nspcc
SUMMARY="Checked by make image-test $ID: the directory's national child protection charity."
etag=$(curl -sS -D - -o /dev/null --max-time 10 "$BASE_URL$ORG" |
       awk 'tolower($1) == "etag:" { print $2 }' | tr -d '\r')
code=$(curl -sS -o "$WORK/patch" -w '%{http_code}' --max-time 10 -X PATCH "$BASE_URL$ORG" \
    -H "Authorization: Bearer $TOKEN" -H "If-Match: $etag" \
    -H 'Content-Type: application/merge-patch+json' -d "{\"summary\": \"$SUMMARY\"}")
if [ "$code" = 200 ] && grep -qF "$SUMMARY" "$WORK/patch"; then
    pass "PATCH $ORG with the token and If-Match $etag: 200"
else
    fail "PATCH $ORG: $code $(head -c 500 "$WORK/patch")"
fi
read -r code _ < <(get "$ORG" "$WORK/org")
if [ "$code" = 200 ] && grep -qF "$SUMMARY" "$WORK/org"; then
    pass "GET $ORG shows the new summary"
else
    fail "GET $ORG after the write: $code, summary not there"
fi

t=$(now)
if dk restart -t 20 "$NAME" >/dev/null && wait_up; then
    pass "docker restart: answering again on 127.0.0.1:$PORT ($(since "$t") s)"
else
    fail "docker restart"
fi
read -r code _ < <(get "$ORG" "$WORK/org")
if [ "$code" = 200 ] && grep -qF "$SUMMARY" "$WORK/org"; then
    pass "after the restart the write is still there (the volume kept the database)"
else
    fail "after the restart: GET $ORG $code, summary not there"
fi

# ---- a graceful stop ------------------------------------------------------------
t=$(now)
dk stop -t 20 "$NAME" >/dev/null || fail "docker stop"
took=$(since "$t")
exit_code=$(dk inspect -f '{{.State.ExitCode}}' "$NAME" 2>/dev/null)
if awk -v s="$took" 'BEGIN { exit !(s < 10) }'; then
    pass "docker stop -t 20 returned in $took s"
else
    fail "docker stop -t 20 took $took s (SIGTERM should end it at once when idle)"
fi
if [ "$exit_code" = 0 ]; then
    pass "exit code after SIGTERM: 0"
else
    fail "exit code after SIGTERM: $exit_code (137 is SIGKILL)"
    dk logs --tail 20 "$NAME" 2>&1
fi

size=$(dk image inspect -f '{{.Size}}' "$TAG")
base_size=$(dk image inspect -f '{{.Size}}' "$BASE")
echo "image size: $(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }') ($TAG; $BASE is $(awk -v s="$base_size" 'BEGIN { printf "%.1f MB", s / 1e6 }'))"
