#!/usr/bin/env bash
# Start-up of the packaged application (docs/benchmarks.md, "Start-up"): starts target/quarkus-app N times against an
# external PostgreSQL and N times with the embedded one, and prints, per start, the time from launching `java` to the
# first HTTP 200 of the sign-in page (GET /login, whole body) and the memory at that moment, then median and max.
#   scripts/startup-benchmark.sh [N]            (N ≥ 1, default 5; run under `flock /tmp/runway-mvn.lock`)
# Environment: JAR (default target/quarkus-app/quarkus-run.jar), JAVA_OPTS (extra JVM flags for every start),
# PG_BIN (default /usr/lib/postgresql/15/bin: Debian's postgresql-15), PORT (default 18180), KEEP_WORK=1.
# The external database is a fresh cluster of PG_BIN in the work folder, with the roles of deploy/postgres-roles.sql;
# each series begins with one start that is not counted (it migrates the database, or creates the embedded one), so
# the counted starts are those of a node whose database is already migrated, as on every restart.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-5}
JAR=${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-18180}
PGPORT=$((PORT + 2))
read -r -a EXTRA_OPTS <<< "${JAVA_OPTS:-}"

log() { printf '%s  %s\n' "$(date +%T.%3N)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
[[ -f "$JAR" ]] || fail "no $JAR: run ./mvnw -B package -Pproduction -DskipTests first"
[[ -x "$PG_BIN/initdb" ]] || fail "no PostgreSQL in $PG_BIN (apt-get install postgresql-15, or set PG_BIN)"

WORK=$(mktemp -d /tmp/runway-startup.XXXXXX)
chmod 755 "$WORK"
APP_PID=""
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    local rc=$?
    set +e
    if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
        kill -TERM "$APP_PID"; wait "$APP_PID" 2>/dev/null
    fi
    [[ -f "$WORK/pg/postmaster.pid" ]] && as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop > /dev/null
    if [[ "${KEEP_WORK:-0}" == 1 || $rc -ne 0 ]]; then log "Logs kept in $WORK"; else rm -rf "$WORK"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- The external PostgreSQL: a cluster of its own, on a port and socket of its own. ----
mkdir -p "$WORK/pg" "$WORK/sock" "$WORK/ext" "$WORK/emb"
[[ $(id -u) == 0 ]] && chown postgres "$WORK/pg" "$WORK/sock"
as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust > "$WORK/initdb.log"
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -w -l "$WORK/sock/pg.log" \
    -o "-p $PGPORT -k $WORK/sock -c listen_addresses=localhost -c max_connections=100" start > /dev/null
psql -q -h "$WORK/sock" -p "$PGPORT" -U postgres -v migrator_password=runway_migrator -v app_password=runway_app \
    -f deploy/postgres-roles.sql > /dev/null
EXTERNAL=(QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$PGPORT/runway")

now_ns() { date +%s%N; }
kb() { awk -v k="$1" '$1 == k":" { print $2 }' "$2" 2>/dev/null || echo 0; }
# Proportional set size of the embedded PostgreSQL (its postmaster, from postmaster.pid, and the postmaster's
# children), so that the shared memory they all map is counted once; 0 where the folder has no embedded database.
embedded_pss() { # folder
    local pidfile=$1/data/postgres/postmaster.pid total=0 pm pid
    [[ -f "$pidfile" ]] || { echo 0; return; }
    pm=$(head -1 "$pidfile")
    for pid in "$pm" $(pgrep -P "$pm" || true); do
        total=$(( total + $(kb Pss "/proc/$pid/smaps_rollup") ))
    done
    echo "$total"
}

# One start: prints "seconds rss_mb child_pss_mb" of that start, then stops the process. JVM_FLAGS (an array) adds
# flags to this start only.
JVM_FLAGS=()
start_once() { # label folder env...
    local label=$1 dir=$2; shift 2
    local t0 code="" deadline
    t0=$(now_ns)
    # From the jar's own folder, as `-jar quarkus-run.jar`: the AppCDS archive names the jar so (relative).
    ( cd "$(dirname "$JAR")" && exec env "$@" QUARKUS_HTTP_PORT="$PORT" QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) \
        RUNWAY_STORAGE_ROOT="$dir/storage" java -Drunway.data.dir="$dir/data" "${EXTRA_OPTS[@]}" "${JVM_FLAGS[@]}" \
        -jar "$(basename "$JAR")" ) >> "$dir/$label.log" 2>&1 &
    APP_PID=$!
    deadline=$(( $(date +%s) + 120 ))
    until [[ "$code" == 200 ]]; do
        kill -0 "$APP_PID" 2>/dev/null || fail "$label: the application exited (log: $dir/$label.log)"
        (( $(date +%s) < deadline )) || fail "$label: no 200 from /login within 120 s"
        code=$(curl -s -o "$WORK/page.html" -w '%{http_code}' "http://localhost:$PORT/login" || true)
        [[ "$code" == 200 ]] || sleep 0.02
    done
    local t1 rss pss
    t1=$(now_ns)
    rss=$(kb VmRSS "/proc/$APP_PID/status")
    pss=$(embedded_pss "$dir")
    grep -q '<html' "$WORK/page.html" || fail "$label: /login answered 200 without a page"
    kill -TERM "$APP_PID"; wait "$APP_PID" 2>/dev/null || true
    APP_PID=""
    awk -v a="$t0" -v b="$t1" -v r="$rss" -v p="$pss" 'BEGIN { printf "%.2f %.0f %.0f\n", (b - a) / 1e9, r / 1024, p / 1024 }'
}

stats() { # file column → "median max"
    sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s", m, v[NR] }'
}

series() { # label folder env...
    local label=$1 dir=$2; shift 2
    start_once "$label" "$dir" "$@" | { read -r s r p;
        log "$label: first start, not counted (it migrates, or creates the embedded database): ${s} s, RSS ${r} MB"; }
    if [[ $label == *full-cds* ]]; then
        # Training start: an AppCDS archive of every class a start up to the first page loads, written at exit.
        JVM_FLAGS=(-XX:ArchiveClassesAtExit="$WORK/$label.jsa")
        start_once "$label" "$dir" "$@" > /dev/null
        JVM_FLAGS=(-XX:SharedArchiveFile="$WORK/$label.jsa")
        log "$label: archive $(du -m "$WORK/$label.jsa" | cut -f1) MB from one start"
    fi
    : > "$WORK/$label.txt"
    for i in $(seq 1 "$N"); do
        start_once "$label" "$dir" "$@" | tee -a "$WORK/$label.txt" | { read -r s r p;
            log "$label start $i: first page ${s} s, JVM RSS ${r} MB$( [[ $p != 0 ]] && echo ", embedded PostgreSQL PSS ${p} MB")"; }
    done
}

log "JAR $JAR, JAVA_OPTS '${JAVA_OPTS:-}', $N starts each; load average $(cut -d' ' -f1-3 /proc/loadavg)"
series external "$WORK/ext" "${EXTERNAL[@]}"
series embedded "$WORK/emb"
JVM_FLAGS=()
LABELS=(external embedded)
if [[ "${FULL_CDS:-0}" == 1 ]]; then
    # Without JAVA_OPTS' archive: a JDK 17 dynamic archive is dumped on top of the JDK's base archive only.
    mkdir -p "$WORK/full"
    SAVED_OPTS=("${EXTRA_OPTS[@]}")
    EXTRA_OPTS=()
    series external-full-cds "$WORK/full" "${EXTERNAL[@]}"
    EXTRA_OPTS=("${SAVED_OPTS[@]}")
    JVM_FLAGS=()
    LABELS+=(external-full-cds)
fi
log "done; load average $(cut -d' ' -f1-3 /proc/loadavg)"

printf '\n%-17s | %-22s | %-22s | %-26s\n' "database" "first page median / max" "JVM RSS median / max" "PostgreSQL PSS median / max"
for label in "${LABELS[@]}"; do
    read -r sm sx <<< "$(stats "$WORK/$label.txt" 1)"
    read -r rm rx <<< "$(stats "$WORK/$label.txt" 2)"
    read -r pm px <<< "$(stats "$WORK/$label.txt" 3)"
    [[ $label == external* ]] && pm="(own server)" px=""
    printf '%-17s | %-22s | %-22s | %-26s\n' "$label" "$sm / $sx s" "$rm / $rx MB" "$pm${px:+ / $px MB}"
done
