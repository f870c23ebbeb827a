#!/bin/sh
# build.sh: builds the libFuzzer harnesses into build-fuzz/ with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer. Each harness links only
# the server modules it needs (never main.c). Run from anywhere; prints the
# harnesses built. Needs clang (CC=clang-14 etc. to choose) and libFuzzer
# (Debian: libfuzzer-14-dev, if -fsanitize=fuzzer does not link).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/build-fuzz"
CC=${CC:-clang}
case "$CC" in *clang*) ;; *) CC=clang ;; esac  # make's default CC=cc is no good here

PKGS="jansson libcmark sqlite3 zlib libmicrohttpd libsodium libqrencode"
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS=$(pkg-config --libs $PKGS)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=c11 -D_GNU_SOURCE -O1 -g $SAN -I$ROOT/server $PKG_CFLAGS"

# harness: the server modules it links. ALL: every module under server/
# but main.c (a harness that needs the records layer needs most of the
# program). ALL+ASSETS: the same and the generated asset table
# (build/assets.c: migrations, seed, lexicon), for a harness that opens a
# real database; the others must stub `assets` themselves.
HARNESSES="
fuzz_query:lib/query lib/escape lib/buf lib/util
fuzz_words:lib/words lib/porter lib/buf lib/util
fuzz_escape:lib/escape lib/buf lib/util
fuzz_json_body:ALL
fuzz_template:views/tmpl lib/escape lib/buf lib/util
fuzz_search:ALL+ASSETS
fuzz_frame:lib/frame
fuzz_cookie:lib/cookie lib/totp lib/sha1
fuzz_multipart:lib/multipart lib/buf lib/util
"

mkdir -p "$OUT/obj"

# Compiles server/$1.c once, with coverage instrumentation, when it is newer
# than its object.
object() {
    src="$ROOT/server/$1.c"
    obj="$OUT/obj/$(echo "$1" | tr / _).o"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || \
       [ -n "$(find "$ROOT/server" -name '*.h' -newer "$obj" | head -n 1)" ]; then
        $CC $CFLAGS -fsanitize=fuzzer-no-link -Wall -Wextra -c -o "$obj" "$src"
    fi
}

# The generated asset table, build/assets.c, made by the Makefile's rule (so
# with the same file list) and compiled here once, when it is newer than its
# object. No coverage instrumentation: it is data. BUILD and SANITIZE are
# pinned so that the rule is build/assets.c's whatever the environment says.
assets_object() {
    make -s -C "$ROOT" BUILD=build SANITIZE= build/assets.c
    src="$ROOT/build/assets.c"
    obj="$OUT/obj/assets.o"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ]; then
        $CC $CFLAGS -Wno-overlength-strings -c -o "$obj" "$src"
    fi
}

echo "$HARNESSES" | while IFS=: read -r name modules; do
    [ -n "$name" ] || continue
    objs=""
    case "$modules" in
    ALL | ALL+ASSETS)
        [ "$modules" = ALL+ASSETS ] && { assets_object; objs="$OUT/obj/assets.o"; }
        modules=$(cd "$ROOT/server" && ls */*.c | sed 's/\.c$//')
        ;;
    esac
    for m in $modules; do
        object "$m"
        objs="$objs $OUT/obj/$(echo "$m" | tr / _).o"
    done
    $CC $CFLAGS -fsanitize=fuzzer -Wall -Wextra -Wshadow -Werror -I"$ROOT/tests/fuzz" \
        -o "$OUT/$name" "$ROOT/tests/fuzz/$name.c" $objs $PKG_LIBS -lpthread -lm
    echo "built build-fuzz/$name"
done
