#!/usr/bin/env bash
# The local overlay as a real small cluster, end to end (issue 11, docs/deploy.md "Smoke test"):
#   1. builds the images (deploy/build-images.sh: Debian base, JRE, PostgreSQL 15 from Debian's package, the app
#      packaged with ./mvnw -B -o package -Pproduction -DskipTests);
#   2. plays deploy/kubernetes/overlays/local with `podman play kube` (deploy/kubernetes/play-local.sh): PostgreSQL,
#      one console, two cpu workers, on fresh volumes;
#   3. checks KEDA's read-only role: it counts a pool's runs and may read nothing else;
#   4. in headless Chromium (DeploySmokeBrowser, run by Maven): signs up with the link the console logs, creates the
#      sample project and an API key, uploads a CSV through the API and saves its preparation on the dataset page;
#   5. through the API: starts an MLP training run (about a minute), waits for its checkpoints, kills the worker pod
#      that runs it (SIGKILL), checks that the other worker resumes it from its checkpoint (attempt 2, not from
#      epoch 0) and it succeeds, and that the time lost with the killed pod is not billed (run cost and usage, API);
#   6. takes everything down (also on failure: a trap), volumes and network included.
# Exits non-zero on any failure; prints the time of each step.
#
#   deploy/smoke.sh                    # from the repository; ~N minutes on 2 cores (docs/deploy.md)
#   KEEP=1 deploy/smoke.sh             # leave the pods running at the end (take them down: play-local.sh down)
#
# Maven: the whole script holds /tmp/runway-mvn.lock (it packages the app, runs the browser client, and its
# containers want the machine's cores), re-executing itself under `flock` unless RUNWAY_MVN_LOCK_HELD=1.
# Settings (environment): EPOCHS, HIDDEN, BATCH (the run), KILL_AFTER_CHECKPOINT, CSV (default samples/digits.csv,
# or ../shared/datasets/digits.csv), PODMAN_ROOT and podman's CONTAINERS_CONF etc. (deploy/podman-env.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [[ ${RUNWAY_MVN_LOCK_HELD:-0} != 1 ]] && command -v flock > /dev/null; then
  echo "smoke: waiting for /tmp/runway-mvn.lock" >&2
  # -o: the lock is not inherited by what the script starts; podman leaves aardvark-dns running, which would hold it.
  exec env RUNWAY_MVN_LOCK_HELD=1 flock -o /tmp/runway-mvn.lock "$0" "$@"
fi

EPOCHS=${EPOCHS:-200}
HIDDEN=${HIDDEN:-512}
BATCH=${BATCH:-16}
KILL_AFTER_CHECKPOINT=${KILL_AFTER_CHECKPOINT:-40}
CSV=${CSV:-samples/digits.csv}
KEEP=${KEEP:-0}
CONSOLE=http://127.0.0.1:18080
NETWORK=${RUNWAY_PODMAN_NETWORK:-runway}
WORK=$ROOT/target/smoke
mkdir -p "$WORK"

T_START=$(date +%s.%N)
T_STEP=$T_START
TIMINGS=()
log() { printf '%s smoke: %s\n' "$(date +%T)" "$*" >&2; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
step_done() { # name
  local now; now=$(date +%s.%N)
  TIMINGS+=("$(printf '%-46s %7s s' "$1" "$(secs "$T_STEP" "$now")")")
  log "$1: $(secs "$T_STEP" "$now") s"
  T_STEP=$now
}
fail() { log "FAILED: $*"; exit 1; }

missing=()
for tool in podman mmdebstrap curl jq awk; do command -v "$tool" > /dev/null || missing+=("$tool"); done
[[ -x ${RUNWAY_CHROMIUM:-/usr/bin/chromium} ]] || missing+=(chromium)
((${#missing[@]} == 0)) || fail "missing: ${missing[*]} (apt-get install -y podman buildah runc iptables mmdebstrap curl jq chromium)"

. deploy/podman-env.sh

# podman names a Deployment's pod <name>-pod-0 and its container <pod>-<container>.
DB=db-pod-0-postgres
WORKERS=(runway-worker-cpu-pod-0-runway runway-worker-cpu-b-pod-0-runway)
CONSOLE_CONTAINER=runway-console-pod-0-runway
psql_() { podman exec -i "$DB" psql -U postgres -d runway -v ON_ERROR_STOP=1 -qAtX "$@"; }

take_down() {
  deploy/kubernetes/play-local.sh down
  podman volume rm -f runway-storage runway-postgres > /dev/null 2>&1 || true
  podman network rm -f "$NETWORK" > /dev/null 2>&1 || true
}
on_exit() {
  local rc=$?
  set +e
  if ((rc != 0)); then
    for c in "$CONSOLE_CONTAINER" "${WORKERS[@]}" "$DB"; do
      podman logs "$c" > "$WORK/$c.log" 2>&1 && log "log of $c kept in $WORK/$c.log"
    done
  fi
  if [[ $KEEP == 1 ]]; then
    log "KEEP=1: pods left running (deploy/kubernetes/play-local.sh down takes them down)"
  else
    local t; t=$(date +%s.%N)
    take_down
    log "taken down in $(secs "$t" "$(date +%s.%N)") s"
  fi
  echo
  echo "deploy/smoke.sh $( ((rc == 0)) && echo passed || echo FAILED) in $(secs "$T_START" "$(date +%s.%N)") s"
  printf '  %s\n' "${TIMINGS[@]}"
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# ---- 1. Images (build-images.sh skips what exists; Maven without a second flock: this script holds the lock). ----
MVN="./mvnw -B -o" deploy/build-images.sh
step_done "images (build-images.sh, package included)"

# The browser client is compiled now, while nothing runs, so that step 4 only runs it.
./mvnw -B -o -q test-compile > "$WORK/test-compile.log" 2>&1 || { tail -40 "$WORK/test-compile.log" >&2; fail "test-compile"; }
step_done "browser client compiled (./mvnw test-compile)"

# ---- 2. The local overlay on fresh volumes. ----
take_down
deploy/kubernetes/play-local.sh up > "$WORK/play.log" 2>&1 || { cat "$WORK/play.log" >&2; fail "play kube"; }
wait_until() { # what timeout-seconds command...
  local what=$1 deadline=$(($(date +%s) + $2)); shift 2
  until "$@" > /dev/null 2>&1; do
    (($(date +%s) < deadline)) || fail "$what: not within the time allowed"
    sleep 1
  done
}
console_up() { [[ $(curl -s -o /dev/null -w '%{http_code}' "$CONSOLE/api/v1/projects") == 401 ]]; }
# Not grep -q: it would stop reading, podman logs would die of SIGPIPE, and pipefail would make a match a failure.
executor_started() { podman logs "$1" 2>&1 | grep "Run executor .* started" > /dev/null; }
wait_until "the console answering on $CONSOLE" 300 console_up
step_done "console up (play kube; Flyway migrated)"
for w in "${WORKERS[@]}"; do wait_until "$w's executor" 300 executor_started "$w"; done
step_done "both workers' executors started"

# ---- 3. KEDA's read-only role (the cluster overlay's ScaledObjects run this query as runway_keda). ----
psql_ < deploy/postgres-keda.sql
KEDA_PASSWORD=$(awk '/name: runway-db-readonly/ {found = 1} found && /password:/ {print $2; exit}' \
  deploy/kubernetes/rendered/local.yaml)
keda_psql() { podman exec -e PGPASSWORD="$KEDA_PASSWORD" "$DB" psql -h 127.0.0.1 -U runway_keda -d runway -qAtX -c "$1"; }
QUERY=$(awk -F'"' '/query: .*run:cpu/ {print $2; exit}' deploy/kubernetes/components/keda/queue-scalers.yaml)
[[ $(keda_psql "$QUERY") == 0 ]] || fail "runway_keda cannot run KEDA's query: $QUERY"
keda_psql "select count(*) from run" > /dev/null 2>&1 && fail "runway_keda can read table run"
keda_psql "delete from scheduled_tasks" > /dev/null 2>&1 && fail "runway_keda can write scheduled_tasks"
step_done "KEDA role: counts run:cpu, refused elsewhere"

# ---- 4. Sign-up, sample project, API key, CSV upload and preparation: the browser client. ----
rm -f "$WORK/console.env"
./mvnw -B -o test -Dtest=DeploySmokeBrowser -Dsurefire.failIfNoSpecifiedTests=false \
  -Drunway.smoke.url="$CONSOLE/" -Drunway.smoke.csv="$ROOT/$CSV" -Drunway.smoke.out="$WORK/console.env" \
  -Drunway.smoke.log-command="podman logs $CONSOLE_CONTAINER" > "$WORK/browser.log" 2>&1 \
  || { grep -E "smoke console|ERROR|FAIL|expected|Assertion" "$WORK/browser.log" | head -40 >&2; fail "browser client"; }
grep "smoke console:" "$WORK/browser.log" | sed 's/^/  /' >&2 || true
[[ -s $WORK/console.env ]] || fail "the browser client ran no test (is runway.smoke.url passed to surefire?)"
. "$WORK/console.env"
AUTH=(-H "Authorization: Bearer $SMOKE_KEY")
step_done "signed up, project, API key, CSV (browser + API)"

# ---- 5. A training run, its worker pod killed mid-run. ----
REQUEST=$(jq -nc --argjson v "$SMOKE_VERSION" --argjson e "$EPOCHS" --argjson h "$HIDDEN" --argjson b "$BATCH" \
  '{datasetVersionId: $v, template: "MLP", device: "cpu",
    hyperparameters: {epochs: $e, hiddenLayers: [$h, $h], batchSize: $b, earlyStoppingPatience: 0}}')
RUN=$(curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d "$REQUEST" "$CONSOLE/api/v1/runs" | jq -r .id)
[[ $RUN =~ ^[0-9]+$ ]] || fail "the run was not started: $RUN"
api_run() { curl -sf "${AUTH[@]}" "$CONSOLE/api/v1/runs/$RUN"; }
# The worker and checkpoints are not in the API: read them as PostgreSQL's superuser (row-level security aside).
db_run() { psql_ -F' ' -c "select status, attempt, coalesce(worker, '-'), coalesce(last_checkpoint_epoch, 0),
  epoch from run where id = $RUN"; }
log "run $RUN: $REQUEST"
deadline=$(($(date +%s) + 240))
while :; do
  read -r STATUS ATTEMPT WORKER CKPT EPOCH < <(db_run)
  [[ $STATUS == RUNNING && $CKPT -ge $KILL_AFTER_CHECKPOINT ]] && break
  [[ $STATUS == QUEUED || $STATUS == RUNNING ]] || fail "run $RUN is $STATUS before the kill"
  (($(date +%s) < deadline)) || fail "run $RUN did not reach checkpoint $KILL_AFTER_CHECKPOINT in 240 s"
  sleep 0.5
done
step_done "run $RUN queued, started, checkpoint $CKPT written"
VICTIM="" SURVIVOR=""
for w in "${WORKERS[@]}"; do
  if podman logs "$w" 2>&1 | grep "Run executor $WORKER started" > /dev/null; then VICTIM=$w; else SURVIVOR=$w; fi
done
[[ -n $VICTIM && -n $SURVIVOR ]] || fail "no worker container runs executor $WORKER"
VICTIM_POD=${VICTIM%-runway}
T_KILL=$(date +%s.%N)
podman pod kill --signal KILL "$VICTIM_POD" > /dev/null
read -r _ _ _ CKPT1 EPOCH1 < <(db_run)
log "killed pod $VICTIM_POD (executor $WORKER) in epoch $EPOCH1, last checkpoint epoch $CKPT1"

deadline=$(($(date +%s) + 120))
while :; do
  read -r STATUS ATTEMPT WORKER2 _ _ < <(db_run)
  ((ATTEMPT >= 2)) && [[ $STATUS == RUNNING || $STATUS == SUCCEEDED ]] && break
  (($(date +%s) < deadline)) || fail "run $RUN was not resumed within 120 s of the kill"
  sleep 0.5
done
RESUMED_LINE=$(psql_ -c "select line from run_log where run_id = $RUN and line like 'Resumed on %' order by id limit 1")
RESUMED_AFTER=$(secs "$T_KILL" "$(psql_ -c "select extract(epoch from logged_at) from run_log where run_id = $RUN
  and line like 'Resumed on %' order by id limit 1")")
step_done "resumed by the other worker (${RESUMED_AFTER} s after the kill)"

# From checkpoint epoch CKPT1 or from scratch: the epoch of attempt 2's progress writes (after its start) tells.
MIN_EPOCH2=""
deadline=$(($(date +%s) + 300))
while :; do
  read -r STATUS E2 < <(psql_ -F' ' -c "select status, case when attempt = 2 and progress_at > attempt_started_at
    then epoch end from run where id = $RUN")
  [[ -n $E2 && ( -z $MIN_EPOCH2 || $E2 -lt $MIN_EPOCH2 ) ]] && MIN_EPOCH2=$E2
  [[ $STATUS == QUEUED || $STATUS == RUNNING ]] || break
  (($(date +%s) < deadline)) || fail "run $RUN did not finish within 300 s of resuming"
  sleep 0.5
done
step_done "run finished"

# ---- Checks, through the API (the run, its cost, the month's usage) and the run's own log. ----
RUN_JSON=$(api_run)
USAGE_JSON=$(curl -sf "${AUTH[@]}" "$CONSOLE/api/v1/usage")
read -r FINAL_WORKER LOST < <(psql_ -F' ' -c "select worker, lost_seconds from run where id = $RUN")
STATUS=$(jq -r .status <<< "$RUN_JSON")
ATTEMPT=$(jq -r .attempt <<< "$RUN_JSON")
WALL=$(jq -r '[.startedAt, .finishedAt] | map(sub("\\.[0-9]+"; "") | fromdateiso8601) | .[1] - .[0]' <<< "$RUN_JSON")
BILLED=$(jq -r '.cost.deviceSeconds // 0' <<< "$RUN_JSON")
USAGE_CPU_S=$(jq -r '[.days[] | select(.resource == "CPU") | .quantity] | add // 0 | . * 3600' <<< "$USAGE_JSON")
FAILED=0
check() { local what=$1; shift; if "$@"; then log "ok    $what"; else log "FAIL  $what"; FAILED=1; fi; }
awk_ok() { awk "BEGIN { exit !($1) }"; }
check "the run succeeded ($STATUS)" test "$STATUS" = SUCCEEDED
if [[ $STATUS != SUCCEEDED ]]; then # what CI shows of it: the run's error and log, the surviving worker's warnings
  log "run $RUN error: $(jq -r '.error // "-"' <<< "$RUN_JSON")"
  psql_ -c "select to_char(logged_at, 'HH24:MI:SS.MS') || ' ' || line from run_log where run_id = $RUN order by id" \
    | tail -n 25 | sed 's/^/  run log: /' >&2
  podman logs "$SURVIVOR" 2>&1 | grep -A 30 -E 'WARN|ERROR' | tail -n 80 | sed 's/^/  survivor: /' >&2
fi
check "two attempts, the second on the other worker ($WORKER -> $FINAL_WORKER)" \
  test "$ATTEMPT" = 2 -a "$FINAL_WORKER" != "$WORKER" -a "$FINAL_WORKER" != ""
check "resumed from its checkpoint: attempt 2's first epoch seen ${MIN_EPOCH2:-none} >= checkpoint epoch $CKPT1" \
  awk_ok "${MIN_EPOCH2:-0} >= $CKPT1 && $CKPT1 > 0"
check "lost time recorded (${LOST} s) and positive" awk_ok "$LOST > 0"
check "billed ${BILLED} s + lost ${LOST} s <= wall ${WALL} s from first start to finish" \
  awk_ok "$BILLED > 0 && $BILLED + $LOST <= $WALL + 1"
check "the month's CPU usage (${USAGE_CPU_S} s) is what the run billed (${BILLED} s)" \
  awk_ok "($USAGE_CPU_S - $BILLED) < 0.01 && ($BILLED - $USAGE_CPU_S) < 0.01"
check "no execution of the run left in the queue" test "$(psql_ -c "select count(*) from scheduled_tasks
  where task_name like 'run%' and task_instance like '%-$RUN%'")" = 0
step_done "checks"
cat <<EOF

Run $RUN (MLP ${HIDDEN}x${HIDDEN}, batch $BATCH, $EPOCHS epochs, $(basename "$CSV")): $STATUS, attempt $ATTEMPT
  killed pod           $VICTIM_POD (executor $WORKER) in epoch $EPOCH1, last checkpoint epoch $CKPT1
  resumed              ${RESUMED_AFTER} s after the kill on $FINAL_WORKER: $RESUMED_LINE
  first start->finish  ${WALL} s;  billed ${BILLED} s;  lost (not billed) ${LOST} s;  usage API CPU ${USAGE_CPU_S} s
EOF
((FAILED == 0)) || fail "a check failed"
