#!/usr/bin/env bash
# The graceful drain with real processes (issue 11: "on SIGTERM a worker stops claiming, checkpoints each running run
# at its next batch and releases it for another node, then exits inside the grace period"); a sibling of
# scripts/kill9-recovery.sh, which kills a worker with SIGKILL instead.
#
# Three real processes of the packaged application on this machine, as in kill9-recovery.sh:
#   A  console (web role), embedded PostgreSQL under a temporary folder, executor disabled (it only queues runs);
#   B  worker (RUNWAY_NODE_ROLE=worker, one slot), same database and storage root as A;
#   C  worker, likewise.
# A training run is started through the REST API; once it has written KILL_AFTER_CHECKPOINT epoch checkpoints the
# worker running it gets SIGTERM. The script measures how long that worker took to exit and the time from the
# hand-over (its mid-epoch checkpoint) to the other worker's resume, lets the run finish and checks: no restart, no
# lost seconds, the billed compute equal to the work's time, nothing billed twice. Exit status 1 if a check failed.
#
#   scripts/sigterm-drain.sh                     # defaults below; about a minute on the 2-core machine
#   EPOCHS=30 KILL_AFTER_CHECKPOINT=5 KEEP_WORK=1 scripts/sigterm-drain.sh
#
# Settings (environment): EPOCHS, HIDDEN (layer size, two layers), BATCH (batch size), KILL_AFTER_CHECKPOINT,
# FINISH_TIMEOUT (seconds to wait for the resumed run before cancelling it), GRACE (the grace period the worker must
# exit within, seconds; default 30), PORT_A / PORT_B / PORT_C, KEEP_WORK=1 (keep the temporary folder with the logs).
#
# What is not done through the product (sign-up, project, API key, the dataset version's preparation) is written
# with psql as in kill9-recovery.sh; the upload, the run and polling go through /api/v1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

EPOCHS=${EPOCHS:-12}
HIDDEN=${HIDDEN:-256}
BATCH=${BATCH:-4}
KILL_AFTER_CHECKPOINT=${KILL_AFTER_CHECKPOINT:-2}
FINISH_TIMEOUT=${FINISH_TIMEOUT:-240}
GRACE=${GRACE:-30}
PORT_A=${PORT_A:-18080}
PORT_B=${PORT_B:-18091}
PORT_C=${PORT_C:-18092}
KEEP_WORK=${KEEP_WORK:-0}

WORK_NAME=sigterm
WORKER_EXTRA=()
# shellcheck source=scripts/three-nodes.sh
source "$ROOT/scripts/three-nodes.sh"

seed_and_start_run Drain drain "SIGTERM drain measurement"

le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b + 0.0005) }'; }

# ---- 4. Wait for RUNNING with KILL_AFTER_CHECKPOINT checkpoints, then SIGTERM the worker that runs it. ----
deadline=$(( $(date +%s) + 180 ))
while :; do
    read -r STATUS ATTEMPT WORKER CKPT CKPT_AT EPOCH < <(db_run)
    [[ "$STATUS" == RUNNING && "$CKPT" -ge "$KILL_AFTER_CHECKPOINT" ]] && break
    [[ "$STATUS" == QUEUED || "$STATUS" == RUNNING ]] || fail "run $RUN is $STATUS before the SIGTERM"
    (( $(date +%s) < deadline )) || fail "run $RUN did not reach checkpoint $KILL_AFTER_CHECKPOINT in 180 s"
    sleep 0.2
done
STARTED_AT=$(psql_ -c "select extract(epoch from started_at) from run where id = $RUN")
case "$WORKER" in
    worker-b-"$PID_B") VICTIM=$PID_B VICTIM_NAME=B VICTIM_LOG="$WORK/b/b.log" SURVIVOR=worker-c-$PID_C ;;
    worker-c-"$PID_C") VICTIM=$PID_C VICTIM_NAME=C VICTIM_LOG="$WORK/c/c.log" SURVIVOR=worker-b-$PID_B ;;
    *) fail "run $RUN is on an unknown worker $WORKER" ;;
esac
WORKER_AT_TERM=$WORKER
T_TERM=$(now)
kill -TERM "$VICTIM"
log "kill -TERM $VICTIM_NAME ($WORKER_AT_TERM) in epoch $EPOCH, last epoch checkpoint $CKPT"
while kill -0 "$VICTIM" 2>/dev/null; do
    le "$(diff_s "$T_TERM" "$(now)")" "$GRACE" || fail "$VICTIM_NAME did not exit within the ${GRACE}s grace period"
    sleep 0.05
done
T_EXIT=$(now)
# Gone: the clean-up has nothing left to stop there.
if [[ "$VICTIM_NAME" == B ]]; then PID_B=""; else PID_C=""; fi
log "$VICTIM_NAME exited $(diff_s "$T_TERM" "$T_EXIT") s after SIGTERM"

deadline=$(( $(date +%s) + 30 ))
while :; do
    read -r STATUS ATTEMPT WORKER _ _ _ < <(db_run)
    (( ATTEMPT >= 2 )) && break
    (( $(date +%s) < deadline )) || fail "run $RUN was not resumed within 30 s of the SIGTERM"
    sleep 0.1
done
log "Resumed on $WORKER (attempt $ATTEMPT)"

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
read -r FINAL_STATUS FINAL_ATTEMPT FINAL_WORKER FINISHED_AT LOST RESTARTS RESUMED_AT < <(psql_ -F' ' -c "select status,
    attempt, worker, extract(epoch from finished_at), lost_seconds, restarts, extract(epoch from attempt_started_at)
    from run where id = $RUN")

# ---- Checks. ----
CHECKS_FAILED=0
check() { # description condition...
    local what=$1; shift
    if "$@"; then log "ok    $what"; else log "FAIL  $what"; CHECKS_FAILED=1; fi
}
close_to() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
DUPLICATES=$(psql_ -c "select idempotency_key, count(*) from usage_event group by 1 having count(*) > 1")
# The hand-over: attempt 1's last metered instant (its mid-epoch checkpoint).
HANDED_OVER=$(psql_ -c "select extract(epoch from max(window_end)) from usage_event
    where idempotency_key like 'run:$RUN:1:%'")
BILLED=$(psql_ -c "select coalesce(sum(quantity), 0) from usage_event where run_id = $RUN")
SEGMENTS=$(psql_ -c "select count(*) from usage_event where run_id = $RUN")
# Each segment after the first starts where the one before ended, or (the first of attempt 2) at the resume.
GAPS=$(psql_ -c "select count(*) from (select window_start, lag(window_end) over (order by window_start) as prev
    from usage_event where run_id = $RUN) s where prev is not null and window_start <> prev
    and window_start <> (select attempt_started_at from run where id = $RUN)")
STOPPED_LINE=$(psql_ -c "select line from run_log where run_id = $RUN and line like 'Stopped in epoch%' limit 1")
RESUMED_LINE=$(psql_ -c "select line from run_log where run_id = $RUN and line like 'Resumed from the checkpoint%'
    order by id desc limit 1")
# A run's execution is the task 'run:<pool>'.
LEFT=$(psql_ -c "select count(*) from scheduled_tasks where task_name like 'run:%'
    and task_instance like '$TENANT-$RUN%'")
RUNNING_COUNT=$(psql_ -c "select running from tenant_queue_state where tenant_id = $TENANT")
DRAINED=$(grep -o 'drained in [0-9]* ms' "$VICTIM_LOG" || echo 'drained in ? ms')
HANDOVER_S=$(diff_s "$HANDED_OVER" "$RESUMED_AT")
WORK_S=$(awk -v s="$STARTED_AT" -v f="$FINISHED_AT" -v h="$HANDED_OVER" -v r="$RESUMED_AT" \
    'BEGIN { printf "%.3f", (f - s) - (r - h) }')
TOLERANCE=$(awk -v n="$SEGMENTS" 'BEGIN { print 0.001 * n }')

check "the run finished (${FINAL_STATUS})" test "$FINAL_STATUS" = SUCCEEDED -o "$FINAL_STATUS" = CANCELLED
check "resumed by the other worker ($FINAL_WORKER)" test "$FINAL_WORKER" = "$SURVIVOR"
check "two attempts, no restart, no lost seconds (attempt $FINAL_ATTEMPT, restarts $RESTARTS, lost $LOST)" \
    test "$FINAL_ATTEMPT" = 2 -a "$RESTARTS" = 0 -a "$LOST" = 0
check "hand-over -> resume within 2 s (${HANDOVER_S} s)" le "$HANDOVER_S" 2
check "exited within the ${GRACE}s grace period" le "$(diff_s "$T_TERM" "$T_EXIT")" "$GRACE"
check "no usage event twice (idempotency keys)" test -z "$DUPLICATES"
check "the segments tile the run but for the hand-over ($GAPS gaps)" test "$GAPS" = 0
check "billed ($BILLED s) = the work's time ($WORK_S s), within ${TOLERANCE} s" close_to "$BILLED" "$WORK_S" "$TOLERANCE"
check "no execution left in the queue, the tenant's running count back to 0" test "$LEFT" = 0 -a "$RUNNING_COUNT" = 0

cat <<FIGURES

Graceful drain on SIGTERM  (run $RUN: MLP ${HIDDEN}x${HIDDEN}, batch $BATCH, $EPOCHS epochs, digits)
  SIGTERM to                  $VICTIM_NAME ($WORKER_AT_TERM); $DRAINED
  SIGTERM -> process exited   $(diff_s "$T_TERM" "$T_EXIT") s    grace period ${GRACE} s
  stopped                     $STOPPED_LINE
  hand-over -> resumed        ${HANDOVER_S} s on $FINAL_WORKER    goal <= 2 s
  resumed                     ${RESUMED_LINE%%. The optimizer*}
  SIGTERM -> finished         $(diff_s "$T_TERM" "$FINISHED_AT") s    ($FINAL_STATUS; whole run $(diff_s "$STARTED_AT" "$FINISHED_AT") s)
  billed CPU seconds          $BILLED in $SEGMENTS segments; work $WORK_S s; lost $LOST s; restarts $RESTARTS
  load average                $(cut -d' ' -f1-3 /proc/loadavg)
FIGURES
(( CHECKS_FAILED == 0 )) || fail "a check failed (logs in $WORK)"
