#!/bin/sh
# tests/layout/check.sh [DIR]: checks that the C sources under DIR (default:
# the server/ folder of this checkout) keep the layout the README describes.
# It reads every `#include "..."` line of every .c and .h file and fails,
# naming the files, when
#   (a) the include graph between modules has a cycle;
#   (b) an include points up the request flow (the layer table below);
#   (c) a .c file is over 800 lines without a line in its first 15 saying
#       "... longer than 800 lines because ...";
#   (d) <sqlite3.h> is included outside store/, or <microhttpd.h> outside
#       http/.
# It also fails for a folder that is not in the layer table, and for a quoted
# include that is not a file under DIR (the build's only -I is server/).
# On success it prints "layout: ok (N modules, M includes)".
#
# A module is a .c with its .h (store/store.c and store/store.h are the
# module store/store). A private header X_int.h belongs to module X of its
# folder (store/store_int.h to store/store, site/page_int.h to site/page),
# and a .c without a header of its own (store/org.c) to its folder's module:
# the one named after the folder, or else the one of the folder's only
# private header. That is a subsystem split into files that share one
# private header, as SQLite's sqliteInt.h. Includes within one module are
# not edges of the graph.
#
# LAYOUT_VERBOSE=1 also prints every module with its files, and the graph.
#
# Exit status: 0 when the layout holds, 1 when it does not, 2 for bad usage.

set -u

# ---- the rules --------------------------------------------------------------
# Folders (or files directly in DIR) and their layer, lowest first. A file may
# include files of its own layer or lower ones. A new folder must be added
# here, where it sits in the request flow.
LAYERS='
lib      0
views    1
store    1
records  2
api      3
site     3
embed    3
oruk     3
admin    3
exchange 3
console  3
http     4
main.c   5
'
# Layers whose folders may include each other's headers (the handlers; one
# way only, which the cycle check sees to). In every other layer, folders
# side by side (views/ and store/) may not include each other.
OPEN_LAYERS='3'
MAX_LINES=800
REASON='longer than 800 lines because'
REASON_WITHIN=15
# A library header and the one folder that may include it.
LIBRARIES='
sqlite3.h    store
microhttpd.h http
'

# ---- the tree ---------------------------------------------------------------
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 1 ]; then
    echo "usage: $0 [DIR]   (default: the server/ folder beside tests/)" >&2
    exit 2
fi
if [ $# -eq 1 ]; then
    root=${1%/}
    [ -n "$root" ] || root=/
else
    root=$here/../../server
fi
if [ ! -d "$root" ]; then
    echo "layout: $root is not a directory" >&2
    exit 2
fi
abs=$(cd "$root" && pwd)
# Names in messages: as given, or for the default relative to the current
# directory when it is inside it (so `make test` prints server/store/org.c).
if [ $# -eq 1 ]; then
    shown=$root
else
    case $abs in
        "$PWD"/*) shown=${abs#"$PWD"/} ;;
        *) shown=$abs ;;
    esac
fi

cd "$abs" || exit 2
find . -type f \( -name '*.c' -o -name '*.h' \) | sed 's|^\./||' | LC_ALL=C sort |
LC_ALL=C awk -v layers="$LAYERS" -v open_layers="$OPEN_LAYERS" -v max_lines="$MAX_LINES" \
    -v reason="$REASON" -v reason_within="$REASON_WITHIN" -v libraries="$LIBRARIES" \
    -v shown="$shown" -v verbose="${LAYOUT_VERBOSE:-}" '

function dirof(p,    i) {
    i = match(p, /\/[^\/]*$/)
    return i ? substr(p, 1, i - 1) : ""
}
function baseof(p,    i) {
    i = match(p, /\/[^\/]*$/)
    return i ? substr(p, i + 1) : p
}
function stem(p) { sub(/\.[ch]$/, "", p); return p }
function join(d, f) { return d == "" ? f : d "/" f }
function show(p) { return shown "/" p }

# a/./b/../c -> a/c; "" when the path leaves the tree.
function normalise(p,    n, i, k, part, out, parts) {
    n = split(p, part, "/")
    k = 0
    for (i = 1; i <= n; i++) {
        if (part[i] == "" || part[i] == ".")
            continue
        if (part[i] == "..") {
            if (k == 0)
                return ""
            k--
            continue
        }
        parts[++k] = part[i]
    }
    out = ""
    for (i = 1; i <= k; i++)
        out = out (i > 1 ? "/" : "") parts[i]
    return out
}

# The module of the folder d: the one named after the folder, or else the
# one its only private header is named after; "d/*" when there is none.
function folder_module(d,    b) {
    b = baseof(d)
    if (d != "" && ((join(d, b ".h") in exists) || (join(d, b ".c") in exists)))
        return join(d, b)
    if (nprivate[d] == 1 && ((private_of[d] ".h" in exists) || (private_of[d] ".c" in exists)))
        return private_of[d]
    return join(d, "*")
}

function module_of(p,    d, b, s) {
    d = dirof(p); b = baseof(p); s = stem(b)
    if (b ~ /_int\.h$/) {
        s = join(d, substr(b, 1, length(b) - 6))
        return ((s ".h") in exists) || ((s ".c") in exists) ? s : folder_module(d)
    }
    if (b ~ /\.c$/ && !(join(d, s ".h") in exists) && d != "" && folder_module(d) !~ /\*$/)
        return folder_module(d)
    return join(d, s)
}

# The layer table key of a file: its top folder, or its name when it sits
# directly in the tree.
function place_of(p,    i) {
    i = index(p, "/")
    return i ? substr(p, 1, i - 1) : p
}

function problem(kind, text) {
    nprob++
    probs[kind] = probs[kind] text "\n"
    count[kind]++
}

# Depth-first search for cycles; a back edge u -> v closes the cycle
# v ... u v on the stack.
function dfs(u,    k, v, i, path, ev) {
    colour[u] = 1
    stack[++depth] = u
    for (k = 1; k <= nadj[u]; k++) {
        v = adj[u, k]
        if (colour[v] == 1) {
            path = ""; ev = ""
            for (i = depth; i >= 1 && stack[i] != v; i--)
                ;
            for (; i <= depth; i++) {
                path = path stack[i] " -> "
                ev = ev "    " edge_at[stack[i], (i < depth ? stack[i + 1] : v)] "\n"
            }
            problem("cycle", "  " path v "\n" substr(ev, 1, length(ev) - 1))
        } else if (colour[v] == 0) {
            dfs(v)
        }
    }
    depth--
    colour[u] = 2
}

BEGIN {
    n = split(layers, w, /[ \t\n]+/)
    for (i = 1; i + 1 <= n; i++)
        if (w[i] != "") { layer[w[i]] = w[i + 1] + 0; i++ }
    n = split(open_layers, w, /[ \t\n]+/)
    for (i = 1; i <= n; i++)
        if (w[i] != "") open[w[i] + 0] = 1
    n = split(libraries, w, /[ \t\n]+/)
    for (i = 1; i + 1 <= n; i++)
        if (w[i] != "") { only_in[w[i]] = w[i + 1]; i++ }
    flow = "lib (0) < views, store (1) < records (2) < api, site, embed, oruk, admin, " \
           "exchange, console (3) < http (4) < main.c (5)"
}

{
    files[++nfiles] = $0
    exists[$0] = 1
    if ($0 ~ /_int\.h$/) {
        nprivate[dirof($0)]++
        private_of[dirof($0)] = substr($0, 1, length($0) - 6)
    }
}

END {
    nmod = 0
    for (f = 1; f <= nfiles; f++) {
        p = files[f]
        m = module_of(p)
        if (!(m in seen_mod)) { seen_mod[m] = 1; mods[++nmod] = m }
        members[m] = members[m] " " baseof(p)
        where = place_of(p)
        if (!(where in layer) && !(where in told)) {
            told[where] = 1
            what = index(p, "/") ? "folder " show(where) "/" : "file " show(p)
            problem("unknown", "  the " what " is not in the layer table: add it to LAYERS " \
                    "in tests/layout/check.sh, at its place in the request flow")
        }
    }

    nincludes = 0
    for (f = 1; f <= nfiles; f++) {
        p = files[f]
        d = dirof(p)
        from = module_of(p)
        pl = place_of(p)
        lines = 0
        reasoned = 0
        while ((rc = (getline line < p)) > 0) {
            lines++
            if (lines <= reason_within && index(tolower(line), reason))
                reasoned = 1
            if (line !~ /^[ \t]*#[ \t]*include[ \t]*["<]/)
                continue
            t = line
            sub(/^[ \t]*#[ \t]*include[ \t]*/, "", t)
            quote = substr(t, 1, 1)
            t = substr(t, 2)
            close_at = index(t, quote == "<" ? ">" : "\"")
            if (!close_at)
                continue
            t = substr(t, 1, close_at - 1)
            at = show(p) ":" lines
            # (d) libraries that belong to one folder
            if ((t in only_in) && pl != only_in[t])
                problem("library", "  " at " includes <" t ">: only " only_in[t] \
                        "/ may include it")
            if (quote != "\"")
                continue
            nincludes++
            # as the compiler looks: beside the file, then in the tree (-Iserver)
            target = normalise(join(d, t))
            if (!(target in exists))
                target = normalise(t)
            if (!(target in exists)) {
                problem("unresolved", "  " at " includes \"" t "\", which is not a file " \
                        "under " shown "/")
                continue
            }
            to = module_of(target)
            if (to != from && !((from, to) in edge_at)) {
                edge_at[from, to] = at " includes " t
                adj[from, ++nadj[from]] = to
            }
            # (b) layers
            tp = place_of(target)
            if (!(pl in layer) || !(tp in layer) || pl == tp)
                continue
            lf = layer[pl]; lt = layer[tp]
            if (lt > lf)
                problem("upward", "  " at " includes " t ": " pl " (layer " lf ") may not " \
                        "include " tp " (layer " lt "), which is above it")
            else if (lt == lf && !(lf in open))
                problem("upward", "  " at " includes " t ": " pl " and " tp " sit side by " \
                        "side (layer " lf ") and may not include each other")
        }
        if (rc < 0)
            problem("unresolved", "  cannot read " show(p))
        close(p)
        # (c) long files state why
        if (p ~ /\.c$/ && lines > max_lines && !reasoned)
            problem("long", "  " show(p) " has " lines " lines (over " max_lines ") and " \
                    "none of its first " reason_within " lines says why it is " reason " ...")
    }

    # (a) cycles
    depth = 0
    for (i = 1; i <= nmod; i++)
        if (!colour[mods[i]])
            dfs(mods[i])

    if (verbose != "")
        for (i = 1; i <= nmod; i++) {
            m = mods[i]
            printf "module %s:%s\n", m, members[m]
            for (k = 1; k <= nadj[m]; k++)
                printf "    -> %s (%s)\n", adj[m, k], edge_at[m, adj[m, k]]
        }
    if (nprob == 0) {
        printf "layout: ok (%d modules, %d includes)\n", nmod, nincludes
        exit 0
    }
    head["unknown"] = "folders missing from the layer table:"
    head["unresolved"] = "includes that name no file of the tree:"
    head["cycle"] = "include cycles between modules (a module is a .c with its .h; " \
                    "each line below is one include of the cycle):"
    head["upward"] = "includes that point up the request flow, " flow ":"
    head["long"] = "files over " max_lines " lines without the reason near the top:"
    head["library"] = "libraries included outside their folder:"
    split("unknown unresolved cycle upward long library", order, " ")
    for (i = 1; i <= 6; i++) {
        k = order[i]
        if (count[k])
            printf "layout: %d %s\n%s", count[k], head[k], probs[k] > "/dev/stderr"
    }
    printf "layout: FAILED, %d problem%s in %s (%d modules, %d includes)\n", nprob,
           (nprob == 1 ? "" : "s"), shown, nmod, nincludes > "/dev/stderr"
    exit 1
}'
