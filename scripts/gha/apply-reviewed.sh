#!/usr/bin/env bash
# On push to main: apply the plan that was reviewed on the merged pull request when it is
# still current, otherwise a fresh plan, and report in the job summary which one and why.
#
# How "current" is decided: a fresh plan is always made first (`plan --out fresh.json`).
# Every zone plan carries fingerprints of the zone file and of live DNS as read; when the
# reviewed plan's fingerprints equal the fresh plan's for every zone, the reviewed file is
# applied as it is (and `apply FILE` checks live DNS once more). When any differs (the
# zone files on main are not those that were planned, or live DNS moved), or no reviewed
# plan was found, the fresh plan is applied and the summary says so, with the reasons.
#
# Inputs (besides those in lib.sh):
#   DNSSYNC_REVIEWED_DIR    where the reviewed plan artifact was downloaded (plan.json)
#   DNSSYNC_REVIEWED_FOUND  "true" when find-reviewed-plan.mjs found one
#   DNSSYNC_REVIEWED_NOTE   its one-line description, or why none was found
#   DNSSYNC_REVIEWED_IGNORED  artifacts of that name that no trusted run made, one a line
#                           with why (find-reviewed-plan.mjs writes only its own words)
#   DNSSYNC_ARGS            extra apply arguments, e.g. --force
# Outputs: result (applied | in-sync | failed | invalid | error), plan-source, exit-code.
set -euo pipefail
# shellcheck source=scripts/gha/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
make_scratch
extra_args

reviewed_plan=${DNSSYNC_REVIEWED_DIR:+$DNSSYNC_REVIEWED_DIR/plan.json}
note=${DNSSYNC_REVIEWED_NOTE:-}

finish() { # finish RESULT EXIT_CODE
  set_output result "$1"
  set_output exit-code "$2"
  exit "$2"
}

summary <<<'## dnssync apply'$'\n'

if [[ -n ${DNSSYNC_REVIEWED_IGNORED:-} ]]; then
  {
    printf '%s\n\n' "Ignored these plan artifacts: only a run of this repository's plan workflow for this pull request, from a branch of this repository or started by hand, may supply the reviewed plan."
    sed 's/^/- /' <<<"$DNSSYNC_REVIEWED_IGNORED"
    printf '\n'
  } | summary
fi

echo "::group::dnssync validate"
capture "$SCRATCH/validate.txt" dnssync validate --zones "$DNSSYNC_ZONES"
echo "::endgroup::"
if ((CAPTURED_EXIT != 0)); then
  {
    printf '❌ The zone files on this commit are invalid; nothing was applied.\n\n'
    fenced_log "$SCRATCH/validate.txt" 1000000
  } | summary
  gha_error 'dnssync apply' 'The zone files are invalid; nothing was applied.'
  finish invalid 1
fi

if ! has_token; then
  summary <<<'❌ `VPS_API_TOKEN` is not set for this job, so nothing was applied. Create the secret (see the README) and re-run.'
  gha_error 'dnssync apply' 'VPS_API_TOKEN is not set; nothing was applied.'
  finish error 1
fi

echo "::group::dnssync plan (fresh)"
plan_to "$SCRATCH/fresh.txt" "$SCRATCH/fresh.err" "$SCRATCH/fresh-summary.md" --out "$SCRATCH/fresh.json"
echo "::endgroup::"
case $PLAN_EXIT in
0)
  summary <<<'✅ Live DNS already matches the zone files: nothing to apply.'
  finish in-sync 0
  ;;
2) ;;
*)
  {
    printf '❌ Planning failed; nothing was applied.\n\n'
    plan_errors_text "$SCRATCH/fresh.txt" "$SCRATCH/fresh.err" >"$SCRATCH/why.txt"
    fenced_log "$SCRATCH/why.txt" 100000
  } | summary
  gha_error 'dnssync apply' 'Planning failed; nothing was applied.'
  finish error 1
  ;;
esac

chosen=$SCRATCH/fresh.json
source=fresh
if [[ -n $reviewed_plan && -f $reviewed_plan ]]; then
  set +e
  node "$GHA_SCRIPTS/compare-plans.mjs" "$reviewed_plan" "$SCRATCH/fresh.json" >"$SCRATCH/stale.txt" 2>&1
  compare_exit=$?
  set -e
  if ((compare_exit == 0)); then
    chosen=$reviewed_plan
    source=reviewed
    summary <<<"Applying the reviewed plan: ${note:-the plan saved by the pull request}. It is still current (same zone files, same live DNS)."$'\n'
  else
    {
      printf '> [!WARNING]\n> The reviewed plan (%s) is stale, so a **fresh plan** is applied instead. It may differ from what the pull request showed:\n>\n' "${note:-saved by the pull request}"
      sed 's/^/> - /' "$SCRATCH/stale.txt"
      printf '\n'
    } | summary
    mapfile -t reasons <"$SCRATCH/stale.txt"
    printf -v joined '%s; ' "${reasons[@]}"
    gha_notice 'dnssync apply' "The reviewed plan is stale; applying a fresh plan. ${joined%; }"
  fi
elif [[ ${DNSSYNC_REVIEWED_FOUND:-} == true && -n ${DNSSYNC_REVIEWED_DIR:-} && -d $DNSSYNC_REVIEWED_DIR ]]; then
  summary <<<"The pull request's last check (${note:-its newest artifact}) made no plan: its zone files were invalid, it had no token, or planning failed. A **fresh plan** is applied."$'\n'
elif [[ ${DNSSYNC_REVIEWED_FOUND:-} == true ]]; then
  summary <<<"The reviewed plan (${note}) could not be downloaded, so a **fresh plan** is applied."$'\n'
else
  summary <<<"No reviewed plan${note:+: $note}. A **fresh plan** is applied."$'\n'
fi
plan_summary_text "$SCRATCH/fresh.txt" "$SCRATCH/fresh-summary.md" | summary

echo "::group::dnssync apply ($source plan)"
: >"$SCRATCH/apply-summary.md"
GITHUB_STEP_SUMMARY=$SCRATCH/apply-summary.md \
  capture "$SCRATCH/apply.log" dnssync apply "$chosen" --zones "$DNSSYNC_ZONES" --yes "${EXTRA_ARGS[@]}"
apply_exit=$CAPTURED_EXIT
echo "::endgroup::"
set_output plan-source "$source"

# The plan above may be large: the end of apply's output gets what is left of the job
# summary's 1 MiB, up to 200 kB, keeping 8 kB for the lines around it.
summary_room
log_room=$((SUMMARY_ROOM - $(wc -c <"$SCRATCH/apply-summary.md") - 8192))
((log_room < 200000)) || log_room=200000
{
  printf '\n'
  # apply's own summary when it writes one, else a heading of ours.
  if [[ -s $SCRATCH/apply-summary.md ]]; then
    cat "$SCRATCH/apply-summary.md"
    printf '\n'
  else
    printf '### Result\n\n'
  fi
  printf '<details><summary>apply output</summary>\n\n'
  if ((log_room > 0)); then fenced_log "$SCRATCH/apply.log" "$log_room"; else printf 'It is in the job log.\n'; fi
  printf '\n</details>\n\n'
  if ((apply_exit == 0)); then
    printf '✅ Applied.\n'
  else
    printf '❌ `dnssync apply` failed (exit %s). ' "$apply_exit"
    if grep -qi 'unsafe' "$SCRATCH/apply.log"; then
      printf 'The plan is marked unsafe. If the changes are intended, run **dns-apply** by hand (Actions → dns-apply → Run workflow) with *force* ticked.\n'
    else
      printf 'Re-run this job: dnssync plans afresh from live DNS, so a re-run applies only what is still missing.\n'
    fi
  fi
} | summary

if ((apply_exit == 0)); then finish applied 0; fi
gha_error 'dnssync apply' "dnssync apply failed (exit $apply_exit); see the job summary."
finish failed "$apply_exit"
