# Sourced by scripts/kill9-recovery.sh and scripts/sigterm-drain.sh: the packaged application (built once), a temporary
# work folder with its clean-up on exit, and three real processes of it on this machine:
#   A  console (web role), embedded PostgreSQL under the work folder, executor disabled (it only queues runs);
#   B  worker (RUNWAY_NODE_ROLE=worker, one slot), same database and storage root as A;
#   C  worker, likewise.
# The caller sets ROOT, JAR, PORT_A/B/C, KEEP_WORK, WORK_NAME (the work folder's prefix) and WORKER_EXTRA (an array of
# more worker settings); this file leaves PID_A/B/C, A (the console's URL), PGPORT, JDBC, psql_ and the helpers.
log() { printf '%s  %s\n' "$(date +%T.%3N)" "$*" >&2; }
now() { date +%s.%N; }
# Seconds between two epoch times, to a tenth of a millisecond.
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
fail() { log "FAILED: $*"; exit 1; }

# ---- 1. The packaged application (built once; Maven calls share one lock with other builds on this machine). ----
if [[ ! -f "$JAR" ]]; then
    log "No $JAR: packaging (waits for /tmp/runway-mvn.lock)"
    flock /tmp/runway-mvn.lock ./mvnw -q -o package -Pproduction -DskipTests
fi

WORK=$(mktemp -d "/tmp/runway-$WORK_NAME.XXXXXX")
mkdir -p "$WORK/storage" "$WORK/a" "$WORK/b" "$WORK/c"
PID_A="" PID_B="" PID_C=""

# ---- 5. Clean-up on any exit: stop the processes this script started (their ids only), then the database. ----
cleanup() {
    local rc=$?
    set +e
    for pid in "$PID_C" "$PID_B" "$PID_A"; do
        [[ -n "$pid" ]] && kill -CONT "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null
    done
    for pid in "$PID_C" "$PID_B" "$PID_A"; do
        [[ -z "$pid" ]] && continue
        local t; t=$(now)
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && { log "process $pid did not stop: SIGKILL"; kill -KILL "$pid" 2>/dev/null; }
        log "process $pid gone after $(diff_s "$t" "$(now)") s"
    done
    # A stops its embedded PostgreSQL after Quarkus has stopped; if A had to be killed, stop the postmaster it left.
    local pidfile="$WORK/a/data/postgres/postmaster.pid"
    if [[ -f "$pidfile" ]]; then
        local pg; pg=$(head -1 "$pidfile")
        if [[ -n "$pg" ]] && kill -0 "$pg" 2>/dev/null; then
            kill -INT "$pg" 2>/dev/null
            for _ in $(seq 1 20); do kill -0 "$pg" 2>/dev/null || break; sleep 0.5; done
        fi
    fi
    if [[ "$KEEP_WORK" == 1 || $rc -ne 0 ]]; then
        log "Logs and data kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts the packaged app in its own folder; `exec` makes $! the JVM's own process id (the one we kill).
start_node() { # name folder envs...
    local name=$1 dir=$2; shift 2
    ( cd "$dir" && exec env "$@" java -jar "$JAR" ) > "$dir/$name.log" 2>&1 &
}

wait_for() { # description timeout-seconds command...
    local what=$1 timeout=$2; shift 2
    local deadline=$(( $(date +%s) + timeout ))
    until "$@" > /dev/null 2>&1; do
        (( $(date +%s) < deadline )) || fail "$what: not within ${timeout}s"
        sleep 0.5
    done
}

# ---- 2. Console A: embedded PostgreSQL (RunwayMain: ./data/postgres, i.e. $WORK/a/data), executor disabled. ----
log "Work folder $WORK; load average $(cut -d' ' -f1-3 /proc/loadavg)"
T0=$(now)
start_node a "$WORK/a" RUNWAY_EXECUTOR_ENABLED=false QUARKUS_HTTP_PORT="$PORT_A" QUARKUS_MANAGEMENT_PORT=$((PORT_A + 1000)) \
    RUNWAY_STORAGE_ROOT="$WORK/storage" RUNWAY_NODE_NAME=console-a
PID_A=$!
A="http://localhost:$PORT_A"
# Up when the API answers (401 without a key).
api_up() { [[ $(curl -s -o /dev/null -w '%{http_code}' "$A/api/v1/projects") == 401 ]]; }
wait_for "console A" 240 api_up
log "Console A up (pid $PID_A) in $(diff_s "$T0" "$(now)") s"

# zonky's embedded PostgreSQL listens on a free port; postmaster.pid's fourth line holds it. Its superuser is
# `postgres` with trust authentication on localhost; the application roles have their default passwords.
PGPORT=$(sed -n 4p "$WORK/a/data/postgres/postmaster.pid")
JDBC="jdbc:postgresql://localhost:$PGPORT/runway"
psql_() { psql -h localhost -p "$PGPORT" -U postgres -d runway -v ON_ERROR_STOP=1 -qAtX "$@"; }
log "Embedded PostgreSQL on port $PGPORT ($JDBC)"

# ---- Workers B and C: same database and storage root, one slot each. ----
WORKER_ENV=(RUNWAY_NODE_ROLE=worker RUNWAY_EXECUTOR_SLOTS=1 RUNWAY_STORAGE_ROOT="$WORK/storage"
    QUARKUS_DATASOURCE_JDBC_URL="$JDBC" QUARKUS_DATASOURCE_USERNAME=runway_app QUARKUS_DATASOURCE_PASSWORD=runway_app
    QUARKUS_FLYWAY_USERNAME=runway_migrator QUARKUS_FLYWAY_PASSWORD=runway_migrator)
WORKER_ENV+=("${WORKER_EXTRA[@]}")
T1=$(now)
start_node b "$WORK/b" "${WORKER_ENV[@]}" QUARKUS_HTTP_PORT="$PORT_B" QUARKUS_MANAGEMENT_PORT=$((PORT_B + 1000)) RUNWAY_NODE_NAME=worker-b
PID_B=$!
start_node c "$WORK/c" "${WORKER_ENV[@]}" QUARKUS_HTTP_PORT="$PORT_C" QUARKUS_MANAGEMENT_PORT=$((PORT_C + 1000)) RUNWAY_NODE_NAME=worker-c
PID_C=$!
wait_for "worker B" 240 grep -q "Run executor worker-b-$PID_B started" "$WORK/b/b.log"
wait_for "worker C" 240 grep -q "Run executor worker-c-$PID_C started" "$WORK/c/c.log"
log "Workers up in $(diff_s "$T1" "$(now)") s: B = worker-b-$PID_B, C = worker-c-$PID_C"

# ---- 3. Company, owner, project, API key (console actions, written with psql), then the upload and the run. ----
# seed_and_start_run NAME SLUG DESCRIPTION: sets TENANT, PROJECT, KEY, AUTH, VERSION, RUN_REQUEST and RUN (an MLP of
# EPOCHS epochs, two layers of HIDDEN, batch BATCH, on samples/digits.csv, through /api/v1).
seed_and_start_run() {
    SUFFIX=$(openssl rand -hex 4)
    PREFIX=$(openssl rand -hex 6)
    SECRET=$(openssl rand -hex 32)
    HASH=$(printf '%s' "$SECRET" | sha256sum | cut -d' ' -f1)
    KEY="rw_${PREFIX}_${SECRET}"
    read -r TENANT PROJECT < <(psql_ -F' ' <<SQL
    begin;
    insert into tenant (name, slug, created_at) values ('$1 $SUFFIX', '$2-$SUFFIX', now()) returning id as tenant \gset
    -- No usable password: nobody signs in as this owner; the API key acts for it.
    insert into app_user (email, display_name, password_hash, created_at)
        values ('owner-$SUFFIX@$2.example', 'Owner $SUFFIX', '!no-login', now()) returning id as owner \gset
    insert into membership (tenant_id, user_id, role, created_at) values (:tenant, :owner, 'OWNER', now());
    insert into project (tenant_id, name, description, created_by, created_at, updated_at)
        values (:tenant, '$1', '$3', :owner, now(), now()) returning id as project \gset
    insert into api_key (tenant_id, name, prefix, secret_hash, role, created_by, created_at)
        values (:tenant, '$2', '$PREFIX', '$HASH', 'OWNER', :owner, now());
    commit;
    select :tenant, :project;
SQL
    )
    [[ "$TENANT" =~ ^[0-9]+$ && "$PROJECT" =~ ^[0-9]+$ ]] || fail "seeding the company failed"
    AUTH=(-H "Authorization: Bearer $KEY")
    curl -sf "${AUTH[@]}" "$A/api/v1/projects/$PROJECT" > /dev/null || fail "the API key is not accepted"

    VERSION=$(curl -sf "${AUTH[@]}" -H 'Content-Type: text/csv' --data-binary @samples/digits.csv \
        "$A/api/v1/projects/$PROJECT/datasets/digits/versions?filename=digits.csv" | jq -r .id)
    # Preparation.defaults("digit", pixel_0..63, CLASSIFICATION), as the sample project saves it.
    FEATURES=$(seq 0 63 | sed 's/^/"pixel_/; s/$/"/' | paste -sd,)
    psql_ -c "update dataset_version set preparation = '{\"target\":\"digit\",\"features\":[$FEATURES],
        \"task\":\"CLASSIFICATION\",\"trainRatio\":0.7,\"validationRatio\":0.1,\"testRatio\":0.2,\"seed\":42,
        \"missingValues\":\"IMPUTE\",\"standardize\":true}' where id = $VERSION"

    RUN_REQUEST=$(jq -nc --argjson v "$VERSION" --argjson e "$EPOCHS" --argjson h "$HIDDEN" --argjson b "$BATCH" \
        '{datasetVersionId: $v, template: "MLP", device: "cpu",
          hyperparameters: {epochs: $e, hiddenLayers: [$h, $h], batchSize: $b, earlyStoppingPatience: 0}}')
    RUN=$(curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d "$RUN_REQUEST" "$A/api/v1/runs" | jq -r .id)
    [[ "$RUN" =~ ^[0-9]+$ ]] || fail "the run was not started: $RUN"
    log "Tenant $TENANT, project $PROJECT, dataset version $VERSION; run $RUN started: $RUN_REQUEST"
}

api_run() { curl -sf "${AUTH[@]}" "$A/api/v1/runs/$RUN"; }
# One row of the run's state as the database holds it (the API shows neither the worker nor the checkpoints).
db_run() { psql_ -F' ' -c "select status, attempt, coalesce(worker, '-'), coalesce(last_checkpoint_epoch, 0),
    coalesce(extract(epoch from last_checkpoint_at)::text, '-'), epoch from run where id = $RUN"; }

