#!/usr/bin/env bash
# Recovery after `kill -9` of a worker process mid-run (issue 4: "time until another worker resumes it, goal ≤ 30 s").
#
# Three real processes of the packaged application on this machine:
#   A  console (web role), embedded PostgreSQL under a temporary folder, executor disabled (it only queues runs);
#   B  worker (RUNWAY_NODE_ROLE=worker, one slot), same database and storage root as A;
#   C  worker, likewise.
# A company, a project and an API key are seeded, digits.csv is uploaded and a training run started through the REST
# API; once the run has written a few checkpoints on B or C, that worker is killed with SIGKILL. The script measures
# the time until the other worker resumes the run (attempt 2), lets it finish (or cancels it after FINISH_TIMEOUT) and
# checks the attempt fencing and the usage ledger. Figures and checks are printed at the end; exit status 1 if a
# check failed.
#
#   scripts/kill9-recovery.sh                     # defaults below; ~3–4 minutes on the 2-core machine
#   EPOCHS=60 KILL_AFTER_CHECKPOINT=5 KEEP_WORK=1 scripts/kill9-recovery.sh
#
# Settings (environment): EPOCHS, HIDDEN (layer size, two layers), BATCH (batch size), KILL_AFTER_CHECKPOINT (the
# checkpoint epoch the run must have reached before the kill), FINISH_TIMEOUT (seconds to wait for the resumed run to
# finish before cancelling it), HEARTBEAT (runway.executor.heartbeat on the workers, default the application's 2s),
# PORT_A / PORT_B / PORT_C, KEEP_WORK=1 (keep the temporary folder with the logs), SIGNAL (KILL by default; STOP
# freezes the worker instead of killing it, and it is continued after the other worker resumed, to exercise the
# attempt fence against a worker that comes back).
#
# What is not done through the product: sign-up and the API key are console (Vaadin) actions with no REST endpoint
# (projects and preparation settings have one since, docs/api.md), so these rows are written with psql as the embedded
# PostgreSQL's superuser, row for row what SignUpService, ProjectService, ApiKeyService and
# DatasetService.savePreparation write (audit rows left out). The upload, the run, polling and cancel go through
# /api/v1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

EPOCHS=${EPOCHS:-60}
HIDDEN=${HIDDEN:-512}
BATCH=${BATCH:-16}
KILL_AFTER_CHECKPOINT=${KILL_AFTER_CHECKPOINT:-3}
FINISH_TIMEOUT=${FINISH_TIMEOUT:-240}
HEARTBEAT=${HEARTBEAT:-}
PORT_A=${PORT_A:-18080}
PORT_B=${PORT_B:-18091}
PORT_C=${PORT_C:-18092}
SIGNAL=${SIGNAL:-KILL}
KEEP_WORK=${KEEP_WORK:-0}

WORK_NAME=kill9
WORKER_EXTRA=()
[[ -n "$HEARTBEAT" ]] && WORKER_EXTRA+=(RUNWAY_EXECUTOR_HEARTBEAT="$HEARTBEAT")
# shellcheck source=scripts/three-nodes.sh
source "$ROOT/scripts/three-nodes.sh"

seed_and_start_run Recovery kill9 "kill -9 recovery measurement"

# ---- 4. Wait for RUNNING with KILL_AFTER_CHECKPOINT checkpoints, then kill the worker that runs it. ----
deadline=$(( $(date +%s) + 180 ))
while :; do
    read -r STATUS ATTEMPT WORKER CKPT CKPT_AT EPOCH < <(db_run)
    [[ "$STATUS" == RUNNING && "$CKPT" -ge "$KILL_AFTER_CHECKPOINT" ]] && break
    [[ "$STATUS" == QUEUED || "$STATUS" == RUNNING ]] || fail "run $RUN is $STATUS before the kill"
    (( $(date +%s) < deadline )) || fail "run $RUN did not reach checkpoint $KILL_AFTER_CHECKPOINT in 180 s"
    sleep 0.2
done
STARTED_AT=$(psql_ -c "select extract(epoch from started_at) from run where id = $RUN")
case "$WORKER" in
    worker-b-"$PID_B") VICTIM=$PID_B VICTIM_NAME=B SURVIVOR=worker-c-$PID_C ;;
    worker-c-"$PID_C") VICTIM=$PID_C VICTIM_NAME=C SURVIVOR=worker-b-$PID_B ;;
    *) fail "run $RUN is on an unknown worker $WORKER" ;;
esac
log "API: $(api_run | jq -c '{status, attempt, epoch, totalEpochs, progress}')"
HB_AGE=$(psql_ -c "select round(extract(epoch from now() - last_heartbeat)::numeric, 2) from scheduled_tasks
    where task_name like 'run:%' and picked and task_instance like '$TENANT-$RUN%'")
T_KILL=$(now)
kill "-$SIGNAL" "$VICTIM"
KILLED_WORKER=$WORKER
# Attempt 1 as the database holds it after the kill (a checkpoint may have landed since the last poll; attempt 2
# overwrites these columns).
read -r _ _ _ CKPT1 CKPT1_AT EPOCH1 < <(db_run)
log "kill -$SIGNAL $VICTIM_NAME ($KILLED_WORKER) in epoch $EPOCH1, last checkpoint epoch $CKPT1; its last heartbeat was ${HB_AGE}s old"

# ---- Until the other worker resumed it: attempt 2, RUNNING. The moment is the "Resumed on" log line's time. ----
deadline=$(( $(date +%s) + 120 ))
while :; do
    read -r STATUS ATTEMPT WORKER _ _ _ < <(db_run)
    (( ATTEMPT >= 2 )) && break
    (( $(date +%s) < deadline )) || fail "run $RUN was not resumed within 120 s of the kill"
    sleep 0.2
done
T_SEEN=$(now)
T_RESUMED=$(psql_ -c "select extract(epoch from logged_at) from run_log where run_id = $RUN
    and line like 'Resumed on %' order by id limit 1")
log "Resumed on $WORKER (attempt $ATTEMPT) $(diff_s "$T_KILL" "$T_RESUMED") s after the kill (seen by polling after $(diff_s "$T_KILL" "$T_SEEN") s)"
log "API: $(api_run | jq -c '{status, attempt, epoch, totalEpochs, progress}')"
if [[ "$SIGNAL" == STOP ]]; then
    # The frozen worker comes back: its next progress write or poll sees attempt 2 and stops; nothing it writes counts.
    kill -CONT "$VICTIM"
    log "kill -CONT $VICTIM_NAME: the frozen worker runs again"
fi

# ---- Until it finishes (or cancel it after FINISH_TIMEOUT). ----
CANCELLED=0
deadline=$(( $(date +%s) + FINISH_TIMEOUT ))
while :; do
    RUN_JSON=$(api_run)
    [[ $(jq -r .finished <<< "$RUN_JSON") == true ]] && break
    if (( $(date +%s) >= deadline && CANCELLED == 0 )); then
        log "Not finished after ${FINISH_TIMEOUT}s: cancelling"
        curl -sf "${AUTH[@]}" -X POST "$A/api/v1/runs/$RUN/cancel" > /dev/null
        CANCELLED=1
    fi
    sleep 1
done
log "API: $(jq -c '{status, attempt, epoch, totalEpochs, progress, cost}' <<< "$RUN_JSON")"
read -r FINAL_STATUS FINAL_ATTEMPT FINAL_WORKER FINISHED_AT LOST < <(psql_ -F' ' -c "select status, attempt, worker,
    extract(epoch from finished_at), lost_seconds from run where id = $RUN")

# ---- Checks. ----
CHECKS_FAILED=0
check() { # description condition...
    local what=$1; shift
    if "$@"; then log "ok    $what"; else log "FAIL  $what"; CHECKS_FAILED=1; fi
}
DUPLICATES=$(psql_ -c "select idempotency_key, count(*) from usage_event group by 1 having count(*) > 1")
# Attempt 1's segments: run:{id}:1:1 .. run:{id}:1:k, one per checkpoint it wrote, each ending before the kill.
read -r SEG1 SEG1_MAX SEG1_END < <(psql_ -F' ' -c "select count(*), coalesce(max(split_part(idempotency_key, ':', 4)::int), 0),
    coalesce(extract(epoch from max(window_end))::text, '0') from usage_event where idempotency_key like 'run:$RUN:1:%'")
read -r SEG2 SEG2_START < <(psql_ -F' ' -c "select count(*), coalesce(extract(epoch from min(window_start))::text, '0')
    from usage_event where idempotency_key like 'run:$RUN:2:%'")
OTHER_ATTEMPTS=$(psql_ -c "select count(*) from usage_event where run_id = $RUN
    and split_part(idempotency_key, ':', 3) not in ('1', '2')")
BILLED=$(psql_ -c "select coalesce(sum(quantity), 0) from usage_event where run_id = $RUN")
STARTS=$(psql_ -c "select count(*) from run_log where run_id = $RUN and line like 'Started on %'")
RESUMES=$(psql_ -c "select count(*) from run_log where run_id = $RUN and line like 'Resumed on %'")
LEFT=$(psql_ -c "select count(*) from scheduled_tasks where task_name like 'run:%' and task_instance like '$TENANT-$RUN%'")
RUNNING_COUNT=$(psql_ -c "select running from tenant_queue_state where tenant_id = $TENANT")
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b + 0.0005) }'; }

check "the run finished (${FINAL_STATUS})" test "$FINAL_STATUS" = SUCCEEDED -o "$FINAL_STATUS" = CANCELLED
check "resumed by the other worker ($FINAL_WORKER, not $VICTIM_NAME)" test "$FINAL_WORKER" = "$SURVIVOR"
check "exactly two attempts (final attempt $FINAL_ATTEMPT; one 'Started on', one 'Resumed on': $STARTS, $RESUMES)" \
    test "$FINAL_ATTEMPT" = 2 -a "$STARTS" = 1 -a "$RESUMES" = 1
check "no usage event twice (idempotency keys)" test -z "$DUPLICATES"
check "attempt 1 metered segments 1..$SEG1_MAX = its checkpoints ($CKPT1), none after its last checkpoint" \
    test "$SEG1" = "$CKPT1" -a "$SEG1_MAX" = "$CKPT1"
check "attempt 1's metered work ends before the kill" le "$SEG1_END" "$T_KILL"
check "no overlap: attempt 1 ends ($SEG1_END) before attempt 2 starts ($SEG2_START)" le "$SEG1_END" "$SEG2_START"
check "no segment of any other attempt" test "$OTHER_ATTEMPTS" = 0
check "no execution left in the queue, the tenant's running count back to 0" test "$LEFT" = 0 -a "$RUNNING_COUNT" = 0

# ---- Figures. ----
HB_SETTING=${HEARTBEAT:-2s}
cat <<EOF

Recovery after kill -$SIGNAL of a worker mid-run  (run $RUN: MLP ${HIDDEN}x${HIDDEN}, batch $BATCH, $EPOCHS epochs, digits)
  killed                      $VICTIM_NAME ($KILLED_WORKER; progress in epoch $EPOCH1, last checkpoint epoch $CKPT1), last heartbeat ${HB_AGE}s before
  kill -> resumed (attempt 2) $(diff_s "$T_KILL" "$T_RESUMED") s    goal <= 30 s
  kill -> finished            $(diff_s "$T_KILL" "$FINISHED_AT") s    ($FINAL_STATUS; whole run $(diff_s "$STARTED_AT" "$FINISHED_AT") s)
  last checkpoint -> kill     $(diff_s "$CKPT1_AT" "$T_KILL") s
  lost seconds (not billed)   $LOST
  billed CPU seconds          $BILLED  (attempt 1: $SEG1 segments, attempt 2: $SEG2)
  heartbeat                   $HB_SETTING, dead after 4 missed: $(awk -v h="${HB_SETTING%s}" 'BEGIN { printf "%g", 4 * h }') s without a heartbeat; bound kill -> resumed ~ $(awk -v h="${HB_SETTING%s}" 'BEGIN { printf "%g", 4 * h + 2 * h + 0.5 }') s
  load average                $(cut -d' ' -f1-3 /proc/loadavg)
EOF
(( CHECKS_FAILED == 0 )) || fail "a check failed (logs in $WORK)"
