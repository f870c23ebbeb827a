#!/bin/sh
# tests/layout/selftest.sh: runs check.sh on small made-up trees, each with
# one fault (or none), and checks that it fails (naming what is wrong) or
# passes. The last line is "N passed, N failed"; the exit status is 1 when
# any case failed.

set -u
here=$(cd "$(dirname "$0")" && pwd)
check=$here/check.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/layout-selftest.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

# put FILE LINE...: writes the lines to FILE under the current case's tree.
put() {
    f=$tree/$1
    shift
    mkdir -p "$(dirname "$f")"
    printf '%s\n' "$@" > "$f"
}
# add FILE LINE...: appends.
add() {
    f=$tree/$1
    shift
    printf '%s\n' "$@" >> "$f"
}
# lines FILE N: appends N lines of code to FILE.
lines() {
    awk -v n="$2" 'BEGIN { for (i = 1; i <= n; i++) printf "int v%d;\n", i }' >> "$tree/$1"
}

# A tree that keeps every rule: 8 modules, 18 quoted includes.
clean() {
    tree=$tmp/$1
    rm -rf "$tree"
    put lib/util.h '#ifndef UTIL_H' '#define UTIL_H' 'void *xmalloc(int n);' '#endif'
    put lib/util.c '#include "lib/util.h"' '#include <stdlib.h>'
    put views/jsonw.h '#include "lib/util.h"'
    put views/jsonw.c '#include "views/jsonw.h"'
    put store/store.h '#include <stdint.h>'
    put store/store_int.h '#include "store/store.h"' '#include <sqlite3.h>'
    put store/db.c '#include "store/store_int.h"' '#  include "../lib/util.h"'
    put store/org.c '#include "store/store_int.h"'
    put records/record.h '#include "store/store.h"' '#include "views/jsonw.h"'
    put records/record.c '#include "records/record.h"'
    put api/api.h '#include "lib/util.h"'
    put api/api.c '#include "api/api.h"' '#include "records/record.h"' '#include "site/page.h"'
    put site/page.h '/* a page */'
    put site/page.c '#include "site/page.h"'
    put http/http.h '/* http */'
    put http/http.c '#include "http/http.h"' '#include "api/api.h"' '#include <microhttpd.h>'
    put main.c '#include "http/http.h"'
}

# expect NAME pass|fail [TEXT...]: runs check.sh on the case's tree; it must
# pass or fail as told, and its output must hold every TEXT.
expect() {
    name=$1 want=$2
    shift 2
    out=$("$check" "$tree" 2>&1)
    rc=$?
    why=""
    case $want in
        pass) [ $rc -eq 0 ] || why="exit $rc, wanted 0" ;;
        fail) [ $rc -eq 1 ] || why="exit $rc, wanted 1" ;;
    esac
    for text in "$@"; do
        printf '%s\n' "$out" | grep -qF -- "$text" || why="${why:+$why; }no \"$text\" in the output"
    done
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        echo "ok - $name"
    else
        failed=$((failed + 1))
        echo "not ok - $name: $why"
        printf '%s\n' "$out" | sed 's/^/    # /'
    fi
}

clean ok
expect "a clean tree passes with its counts" pass "layout: ok (8 modules, 18 includes)"

clean default
mkdir -p "$tmp/repo/tests/layout"
cp "$check" "$tmp/repo/tests/layout/check.sh"
mv "$tree" "$tmp/repo/server"
if out=$(cd "$tmp" && sh repo/tests/layout/check.sh 2>&1) &&
    [ "$out" = "layout: ok (8 modules, 18 includes)" ]; then
    passed=$((passed + 1)); echo "ok - without an argument it checks the server/ beside tests/"
else
    failed=$((failed + 1)); echo "not ok - without an argument: $out"
fi

clean cycle
add site/page.h '#include "api/api.h"'
expect "a cycle between two handlers fails with its path and its includes" fail \
    "api/api -> site/page -> api/api" "page.h:2 includes api/api.h" "api.c:3 includes site/page.h"

clean cycle3
put oruk/oruk.h '#include "site/page.h"'
add api/api.h '#include "oruk/oruk.h"'
put site/page.c '#include "site/page.h"' '#include "api/api.h"'
put api/api.c '#include "api/api.h"' '#include "records/record.h"'
expect "a cycle through three modules, one of them by a .c file, fails" fail \
    "api/api -> oruk/oruk -> site/page -> api/api"

clean cycle-folder
# a file of the store with no header of its own is part of store/store
add lib/util.h '#include "store/store.h"'
expect "a cycle through a folder's headerless .c file fails" fail "store/store -> lib/util -> store/store" \
    "store/db.c:2 includes ../lib/util.h" "lib/util.h:5 includes store/store.h"

clean private
put site/page_int.h '#include "site/page.h"'
put site/render.c '#include "site/page_int.h"' '#include "lib/util.h"'
expect "a private header and a headerless .c join the module they are named after" pass \
    "layout: ok (8 modules, 21 includes)"

clean cycle-private
put site/page_int.h '#include "site/page.h"'
put site/render.c '#include "site/page_int.h"' '#include "api/api.h"'
expect "a cycle through a headerless .c of a folder not named after its module fails" fail \
    "api/api -> site/page -> api/api" "site/render.c:2 includes api/api.h"

clean upward
add store/db.c '#include "records/record.h"'
expect "the store including records fails, naming the file and line" fail \
    "store/db.c:3 includes records/record.h: store (layer 1) may not include records (layer 2)"

clean upward-http
add lib/util.c '#include "http/http.h"'
expect "lib including http fails" fail "lib/util.c:3 includes http/http.h: lib (layer 0) may not include http (layer 4)"

clean sideways
add views/jsonw.c '#include "store/store.h"'
expect "views including the store fails (side by side)" fail \
    "views/jsonw.c:2 includes store/store.h: views and store sit side by side (layer 1)"

clean main-included
add http/http.c '#include "main.c"'
expect "http including main.c fails" fail "http (layer 4) may not include main.c (layer 5)"

clean handlers
put embed/embed.h '#include "site/page.h"'
put embed/embed.c '#include "embed/embed.h"' '#include "api/api.h"'
expect "handlers including other handlers one way pass" pass "layout: ok (9 modules, 21 includes)"

clean unknown
put tools/gen.c '#include "lib/util.h"'
put stray.c '/* nothing */'
expect "an unknown folder and a stray file fail, asking for the layer table" fail \
    "folder $tree/tools/ is not in the layer table: add it to LAYERS in tests/layout/check.sh" \
    "file $tree/stray.c is not in the layer table"

clean unresolved
add api/api.c '#include "api/nowhere.h"'
expect "an include of no file fails" fail "api/api.c:4 includes \"api/nowhere.h\", which is not a file"

clean long
lines site/page.c 800
expect "801 lines without a reason fail" fail "site/page.c has 801 lines (over 800)"

clean long-800
lines site/page.c 799
expect "exactly 800 lines pass" pass

clean long-reason
put site/page.c '/* page.c: the site.' \
    ' * It is longer than 800 lines because every page shares its helpers. */' \
    '#include "site/page.h"'
lines site/page.c 900
expect "a long file that says why passes" pass

clean long-late-reason
put site/page.c '#include "site/page.h"'
lines site/page.c 15
add site/page.c '/* longer than 800 lines because it is too late to say so */'
lines site/page.c 900
expect "a reason below line 15 does not count" fail "site/page.c has 917 lines"

clean long-header
put site/page.h '/* a long header */'
lines site/page.h 900
expect "a long .h is not held to the limit" pass

clean sqlite
add api/api.c '#include <sqlite3.h>'
expect "sqlite3.h in a handler fails" fail "api/api.c:4 includes <sqlite3.h>: only store/ may include it"

clean sqlite-records
put records/record.h '#include "store/store.h"' '#include "views/jsonw.h"' '# include <sqlite3.h>'
expect "sqlite3.h in a records header fails" fail "records/record.h:3 includes <sqlite3.h>"

clean microhttpd
add main.c '#include <microhttpd.h>'
expect "microhttpd.h outside http/ fails" fail "main.c:2 includes <microhttpd.h>: only http/ may include it"

clean several
add api/api.c '#include <sqlite3.h>'
add store/org.c '#include "api/api.h"'
lines api/api.c 900
expect "several faults are all reported with a count" fail "FAILED, 4 problems" \
    "api/api -> records/record -> store/store -> api/api" \
    "store/org.c:2 includes api/api.h" "api/api.c has 904 lines" "<sqlite3.h>"

out=$("$check" "$tmp/no-such-dir" 2>&1)
rc=$?
if [ $rc -eq 2 ] && printf '%s' "$out" | grep -qF "is not a directory"; then
    passed=$((passed + 1)); echo "ok - a missing directory is a usage error"
else
    failed=$((failed + 1)); echo "not ok - a missing directory: $out"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
