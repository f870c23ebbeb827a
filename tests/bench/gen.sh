#!/usr/bin/env bash
# gen.sh: builds a benchmark database of N generated organisations.
#
#   tests/bench/gen.sh SIGNPOST_BINARY OUT_DB [N]     (N defaults to 100000)
#
# 1. `signpost migrate` creates the schema and the real seed (19 organisations).
# 2. One sqlite3 transaction adds N organisations with names, summaries and
#    descriptions built from word lists by a deterministic pseudo-random
#    stream (a 31-bit LCG walked inside a recursive CTE: the same N always
#    gives the same bytes), each tagged with 1-3 audiences and 1-4 topics,
#    with 0-2 resources and one contact; about 1% are archived.
# 3. Full-text index: firing the FTS triggers once per inserted row re-indexes
#    an organisation up to 7 times (its insert, each topic tag, each resource),
#    so the generator drops the triggers inside the transaction, rebuilds
#    org_fts in one pass from the org_fts_source view, and recreates the
#    triggers from the SQL that `signpost migrate` itself stored in
#    sqlite_master (so they stay in step with db/002_search.sql). A final
#    check compares the triggers with a freshly migrated database and runs
#    FTS5's integrity-check.
#
# Vocabulary sizes are chosen so that one place name or one "focus" word hits
# roughly 1,000-2,500 organisations at N = 100,000 (see run.sh's queries).
# The output is written to OUT_DB.tmp and renamed into place when complete.
set -euo pipefail

bin=${1:?usage: gen.sh SIGNPOST_BINARY OUT_DB [N]}
out=${2:?usage: gen.sh SIGNPOST_BINARY OUT_DB [N]}
n=${3:-100000}
[[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 1000000 ]] || { echo "gen.sh: N must be 1..1000000" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "gen.sh: sqlite3 not found (make deps installs it)" >&2; exit 2; }

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/signpost-gen.XXXXXX")
sql_pid=""
cleanup() {
    if [[ -n $sql_pid ]]; then kill "$sql_pid" 2>/dev/null || true; wait "$sql_pid" 2>/dev/null || true; fi
    rm -rf "$tmpdir"
    rm -f "$out.tmp" "$out.tmp-wal" "$out.tmp-shm" "$out.tmp-journal"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -f "$out.tmp" "$out.tmp-wal" "$out.tmp-shm"

for db in "$out.tmp" "$tmpdir/fresh.db"; do
    "$bin" migrate --db "$db" >"$tmpdir/migrate.log" 2>&1 || {
        cat "$tmpdir/migrate.log" >&2; echo "gen.sh: signpost migrate failed" >&2; exit 1; }
done

# The trigger DDL as migrate created it, to drop and recreate verbatim.
sqlite3 "$out.tmp" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' ORDER BY name" \
    > "$tmpdir/triggers.sql"
sqlite3 "$out.tmp" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' ORDER BY name" \
    > "$tmpdir/drop.sql"
[[ -s $tmpdir/triggers.sql ]] || { echo "gen.sh: no triggers found in the migrated database" >&2; exit 1; }

# ---- the pseudo-random stream -----------------------------------------------
# s' = (A*s + C) mod 2^31. Each row of the CTE holds one state s; column k is
# the k-th next state (an affine map of s), and the next row starts 17 steps
# on. Products stay below 2^62, so SQLite's 64-bit integers never overflow.
M=2147483648; A=1103515245; C=12345
ak=1; ck=0; cols=""
for k in $(seq 1 17); do
    ak=$(( (ak * A) % M )); ck=$(( (ck * A + C) % M ))
    if (( k <= 16 )); then
        cols+=", ((${ak} * s + ${ck}) % ${M}) >> 8 AS r${k}"
    else
        step_a=$ak; step_c=$ck
    fi
done

# Builds "INSERT INTO temp.NAME (i, w) VALUES (0,'a'),(1,'b')..." from words.
wordlist() {
    local name=$1; shift
    local i=0 sep="" sql="CREATE TEMP TABLE $name (i INTEGER PRIMARY KEY, w TEXT NOT NULL);
INSERT INTO temp.$name (i, w) VALUES "
    for w in "$@"; do
        sql+="$sep($i, '${w//\'/\'\'}')"; sep=","; i=$((i + 1))
    done
    printf '%s;\n' "$sql"
}

{
cat <<'SQL'
.bail on
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
PRAGMA temp_store = MEMORY;
PRAGMA foreign_keys = ON;
BEGIN IMMEDIATE;
SQL
cat "$tmpdir/drop.sql"

wordlist place Aberdeen Ayrshire Barnsley Bath Bedford Belfast Birmingham Blackburn Blackpool \
    Bolton Bournemouth Bradford Brighton Bristol Cambridge Cardiff Carlisle Chelmsford \
    Cheltenham Chester Colchester Cornwall Coventry Crawley Croydon Cumbria Darlington \
    Devon Doncaster Dorset Dudley Dundee Durham Edinburgh Essex Exeter Falkirk Fife \
    Glasgow Gloucester Grimsby Guildford Gwynedd Halifax Hampshire Harrogate Hartlepool \
    Hastings Hereford Huddersfield Hull Inverness Ipswich Kendal Kent Lancaster Leeds \
    Leicester Lincoln Liverpool London Lothian Luton Maidstone Manchester Middlesbrough \
    Newcastle Newport Norfolk Northampton Norwich Nottingham Oldham Oxford Paisley Perth \
    Peterborough Plymouth Portsmouth Preston Reading Rochdale Rotherham Salford Salisbury \
    Sheffield Shrewsbury Slough Southampton Stirling Stockport Suffolk Sunderland Surrey \
    Sussex Swansea Swindon Taunton Telford Truro Wakefield Walsall Warrington Watford \
    Wigan Winchester Wolverhampton Worcester Wrexham Yeovil York
wordlist focus sextortion catfishing livestreaming deepfakes scams radicalisation gambling \
    gaming chatrooms trolling doxxing stalking impersonation phishing hacking loneliness \
    anxiety misogyny extremism gangs influencers algorithms screentime smartphones \
    tablets consoles webcams metaverse chatbots podcasts vlogging memes hashtags \
    passwords privacy geolocation spyware malware ransomware cyberflashing upskirting \
    coercion blackmail debt loans betting lootboxes fraud reputation footprints sleep \
    fitness dieting steroids vaping alcohol drugs dating relationships consent friendship \
    homework exams neurodiversity autism dyslexia disability deafness blindness carers \
    fostering adoption kinship bereavement grief divorce homelessness refugees asylum \
    travellers rural coastal faith sport football rugby cricket swimming scouting \
    libraries museums apprenticeships careers volunteering mentoring befriending advocacy \
    counselling therapy mediation helplines textlines webchats outreach drama music art \
    photography coding robotics esports streaming youtube tiktok snapchat instagram \
    whatsapp discord roblox minecraft fortnite twitch reddit selfies filters sharenting \
    crowdfunding cryptocurrency hoaxes challenges rumours gossip exclusion rivalry \
    jealousy anger resilience confidence kindness empathy citizenship literacy
wordlist adj Bright Safe Open Brave Kind Clear Steady Strong Together Connected Digital \
    Young Family Community Positive Hopeful Northern Southern Eastern Western Coastal \
    Rural City County Friendly Trusted Confident Smart Resilient Thriving Golden Green \
    Blue Rising New
wordlist noun Futures Steps Voices Minds Pathways Horizons Bridges Circles Roots Wings \
    Harbour Compass Lighthouse Anchor Beacon Haven Journeys Connections Spaces Signals \
    Shield Guardians Champions Allies Friends Families Parents Youth Kids Teens Sparks \
    Lanterns Keys Doors Threads
wordlist otype Trust Foundation Network Partnership Project Service Alliance Centre Hub \
    Association Collective Forum Initiative Group Charity Programme Line Club Society Team
wordlist kind charity charity charity charity local-authority partnership public-body \
    company other government police charity
wordlist service 'advice' 'support' 'training' 'workshops' 'counselling' 'mentoring' \
    'a helpline' 'drop-in sessions' 'online courses' 'peer support' 'family learning' \
    'school assemblies' 'free resources' 'a text service' 'casework' 'outreach work' \
    'group sessions' 'one-to-one support'
wordlist who 'children' 'young people' 'parents and carers' 'teachers' 'social workers' \
    'youth workers' 'foster carers' 'grandparents' 'school governors' 'teenagers' \
    'early years staff' 'health visitors' 'sports coaches' 'faith leaders'
wordlist closing 'Referrals are welcome from schools, GPs and social care.' \
    'All sessions are free and confidential.' \
    'Volunteers are checked and trained in safeguarding.' \
    'It publishes an annual report on what young people tell it.' \
    'Most of its work happens in schools and youth clubs.' \
    'It is funded by grants, donations and local councils.' \
    'Translators and British Sign Language interpreters can be arranged.' \
    'Its staff also train professionals who work with children.' \
    'Young people help to design everything it makes.' \
    'It works closely with the local safeguarding partnership.'
wordlist rnoun Guide Toolkit Checklist Film Workshop Quiz Leaflet Pack Podcast Course \
    Handbook Factsheet
wordlist rtype helpline reporting-tool education-pack campaign guidance website film service
wordlist ckind phone email website text webchat report-form

cat <<SQL
CREATE TEMP TABLE aud AS SELECT row_number() OVER (ORDER BY pk) - 1 AS i, pk FROM audience;
CREATE TEMP TABLE top AS SELECT row_number() OVER (ORDER BY pk) - 1 AS i, pk FROM topic;

-- One row per generated organisation: its number, primary key and 16
-- pseudo-random columns r1..r16 (each 0 .. 2^23-1).
CREATE TEMP TABLE g AS
WITH RECURSIVE seq(n, s) AS (
    SELECT 1, 20260101
    UNION ALL
    SELECT n + 1, (${step_a} * s + ${step_c}) % ${M} FROM seq WHERE n < ${n}
)
SELECT n, (SELECT coalesce(max(pk), 0) FROM organisation) + n AS pk ${cols} FROM seq;

CREATE TEMP TABLE o AS
SELECT g.*,
       (SELECT w FROM temp.place  WHERE i = r1 % (SELECT count(*) FROM temp.place))  AS place,
       (SELECT w FROM temp.place  WHERE i = r2 % (SELECT count(*) FROM temp.place))  AS place2,
       (SELECT w FROM temp.adj    WHERE i = r3 % (SELECT count(*) FROM temp.adj))    AS adj,
       (SELECT w FROM temp.noun   WHERE i = r4 % (SELECT count(*) FROM temp.noun))   AS noun,
       (SELECT w FROM temp.otype  WHERE i = r5 % (SELECT count(*) FROM temp.otype))  AS otype,
       (SELECT w FROM temp.focus  WHERE i = r6 % (SELECT count(*) FROM temp.focus))  AS f1,
       (SELECT w FROM temp.focus  WHERE i = r7 % (SELECT count(*) FROM temp.focus))  AS f2,
       (SELECT w FROM temp.focus  WHERE i = r8 % (SELECT count(*) FROM temp.focus))  AS f3,
       (SELECT w FROM temp.kind   WHERE i = r9 % (SELECT count(*) FROM temp.kind))   AS kind,
       (SELECT w FROM temp.service WHERE i = r10 % (SELECT count(*) FROM temp.service)) AS svc,
       (SELECT w FROM temp.service WHERE i = r11 % (SELECT count(*) FROM temp.service)) AS svc2,
       (SELECT w FROM temp.who    WHERE i = r12 % (SELECT count(*) FROM temp.who))   AS who,
       (SELECT w FROM temp.who    WHERE i = r13 % (SELECT count(*) FROM temp.who))   AS who2,
       (SELECT w FROM temp.closing WHERE i = r14 % (SELECT count(*) FROM temp.closing)) AS closing
  FROM g;

CREATE TEMP TABLE named AS
SELECT o.*,
       CASE r15 % 4
         WHEN 0 THEN place || ' ' || adj || ' ' || noun
         WHEN 1 THEN adj || ' ' || noun || ' ' || otype
         WHEN 2 THEN place || ' ' || upper(substr(f1, 1, 1)) || substr(f1, 2) || ' ' || otype
         ELSE 'The ' || noun || ' ' || otype || ' ' || place
       END AS name
  FROM o;

INSERT INTO organisation (pk, id, slug, name, summary, description, website, kind,
                          coverage, last_reviewed, reviewed_by, source, created_at,
                          updated_at, archived_at)
SELECT pk,
       printf('%08x-%04x-4%03x-%04x-%012x', r1 * 512 + r16 % 512, r2 % 65536, r3 % 4096,
              32768 + r4 % 16384, n),
       replace(lower(name), ' ', '-') || '-' || n,
       name,
       'A ' || lower(otype) || ' in ' || place || ' offering ' || svc || ' for ' || who ||
         ' on ' || f1 || ' and ' || f2 || '.',
       'Founded in ' || (1950 + r16 % 75) || ', ' || name || ' works with ' || who ||
         ' across ' || place || ' and ' || place2 || '. It offers ' || svc2 || ' on ' || f2 ||
         ', ' || f3 || ' and staying safe online, and ' || svc || ' for ' || who2 ||
         '. ' || closing,
       CASE WHEN r9 % 5 = 0 THEN NULL
            ELSE 'https://www.' || replace(lower(name), ' ', '') || '.org.uk' END,
       kind,
       CASE r10 % 10 WHEN 0 THEN 'UK' WHEN 1 THEN 'England' WHEN 2 THEN 'Scotland'
            ELSE place END,
       CASE WHEN r11 % 3 = 0 THEN NULL
            ELSE date('2024-01-01', '+' || (r11 % 1000) || ' days') END,
       CASE WHEN r11 % 3 = 0 THEN NULL ELSE 'benchmark' END,
       'generated benchmark data (tests/bench/gen.sh)',
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
       CASE WHEN r16 % 100 = 0 THEN '2026-06-01T00:00:00Z' END
  FROM named;

-- 1-3 audiences and 1-4 topics (duplicate picks collapse).
INSERT OR IGNORE INTO org_audience (org_pk, audience_pk)
SELECT g.pk, aud.pk FROM g JOIN aud ON aud.i = g.r3 % (SELECT count(*) FROM aud);
INSERT OR IGNORE INTO org_audience (org_pk, audience_pk)
SELECT g.pk, aud.pk FROM g JOIN aud ON aud.i = g.r5 % (SELECT count(*) FROM aud)
 WHERE g.r7 % 3 >= 1;
INSERT OR IGNORE INTO org_audience (org_pk, audience_pk)
SELECT g.pk, aud.pk FROM g JOIN aud ON aud.i = g.r9 % (SELECT count(*) FROM aud)
 WHERE g.r7 % 3 >= 2;
INSERT OR IGNORE INTO org_topic (org_pk, topic_pk)
SELECT g.pk, top.pk FROM g JOIN top ON top.i = g.r4 % (SELECT count(*) FROM top);
INSERT OR IGNORE INTO org_topic (org_pk, topic_pk)
SELECT g.pk, top.pk FROM g JOIN top ON top.i = g.r6 % (SELECT count(*) FROM top)
 WHERE g.r8 % 4 >= 1;
INSERT OR IGNORE INTO org_topic (org_pk, topic_pk)
SELECT g.pk, top.pk FROM g JOIN top ON top.i = g.r12 % (SELECT count(*) FROM top)
 WHERE g.r8 % 4 >= 2;
INSERT OR IGNORE INTO org_topic (org_pk, topic_pk)
SELECT g.pk, top.pk FROM g JOIN top ON top.i = g.r13 % (SELECT count(*) FROM top)
 WHERE g.r8 % 4 >= 3;

-- 0-2 resources each (about 100,000 at N = 100,000), one contact each.
INSERT INTO resource (id, slug, org_pk, position, name, type, url, summary, age_min,
                      age_max, source)
SELECT printf('%08x-%04x-4%03x-%04x-%012x', r2 * 256 + j, r3 % 65536, r4 % 4096,
              32768 + r5 % 16384, n * 4 + j),
       'res-' || n || '-' || j,
       pk, j,
       upper(substr(CASE j WHEN 1 THEN f1 ELSE f3 END, 1, 1)) ||
         substr(CASE j WHEN 1 THEN f1 ELSE f3 END, 2) || ' ' ||
         (SELECT w FROM temp.rnoun WHERE i = (r13 + j) % (SELECT count(*) FROM temp.rnoun)),
       (SELECT w FROM temp.rtype WHERE i = (r14 + j) % (SELECT count(*) FROM temp.rtype)),
       CASE WHEN r6 % 4 = 0 THEN NULL
            ELSE 'https://resources.example.org.uk/' || n || '/' || j END,
       'Practical help about ' || CASE j WHEN 1 THEN f1 ELSE f3 END || ' for ' || who2 || '.',
       CASE WHEN r15 % 3 = 0 THEN NULL ELSE 5 + r15 % 8 END,
       CASE WHEN r15 % 3 = 0 THEN NULL ELSE 13 + r16 % 6 END,
       'generated benchmark data (tests/bench/gen.sh)'
  FROM o JOIN (SELECT 1 AS j UNION ALL SELECT 2) ON j <= r12 % 3;

INSERT INTO contact (org_pk, position, kind, label, value, hours)
SELECT pk, 1, ck.w, 'Main contact',
       CASE ck.w
         WHEN 'phone' THEN printf('0800 %03d %04d', r1 % 1000, r2 % 10000)
         WHEN 'text' THEN printf('%05d', 60000 + r2 % 10000)
         WHEN 'email' THEN 'help' || n || '@example.org.uk'
         ELSE 'https://contact.example.org.uk/' || n END,
       CASE WHEN r3 % 2 = 0 THEN 'Monday to Friday, 9am to 5pm' END
  FROM g JOIN temp.ckind ck ON ck.i = g.r10 % (SELECT count(*) FROM temp.ckind);

-- The full-text index in one pass, then the triggers back exactly as migrate
-- made them.
DELETE FROM org_fts;
INSERT INTO org_fts (rowid, name, summary, description, extra, contacts, terms)
SELECT pk, name, summary, description, extra, contacts, terms FROM org_fts_source;
SQL
cat "$tmpdir/triggers.sql"
cat <<'SQL'
COMMIT;
INSERT INTO org_fts (org_fts) VALUES ('optimize');
PRAGMA wal_checkpoint(TRUNCATE);
SQL
} > "$tmpdir/gen.sql"

# In the background and waited for, so that INT/TERM stop it at once.
sqlite3 "$out.tmp" < "$tmpdir/gen.sql" >/dev/null &
sql_pid=$!
wait "$sql_pid"
sql_pid=""

# ---- checks -------------------------------------------------------------------
q_triggers="SELECT name || ':' || sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
if [[ "$(sqlite3 "$out.tmp" "$q_triggers")" != "$(sqlite3 "$tmpdir/fresh.db" "$q_triggers")" ]]; then
    echo "gen.sh: the recreated triggers differ from a fresh migration" >&2
    exit 1
fi
counts=$(sqlite3 "$out.tmp" "SELECT (SELECT count(*) FROM organisation), (SELECT count(*) FROM org_fts),
    (SELECT count(*) FROM resource), (SELECT count(*) FROM org_audience),
    (SELECT count(*) FROM org_topic), (SELECT count(*) FROM organisation WHERE archived_at IS NULL)")
IFS='|' read -r c_org c_fts c_res c_aud c_top c_pub <<<"$counts"
if [[ $c_org != "$c_fts" ]]; then
    echo "gen.sh: $c_org organisations but $c_fts full-text rows" >&2
    exit 1
fi
sqlite3 "$out.tmp" "INSERT INTO org_fts (org_fts) VALUES ('integrity-check')" >/dev/null
echo "gen.sh: $c_org organisations ($c_pub public), $c_res resources, $c_aud audience tags, $c_top topic tags" >&2

mv "$out.tmp" "$out"
rm -f "$out.tmp-wal" "$out.tmp-shm"
