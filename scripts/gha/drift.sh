#!/usr/bin/env bash
# Drift check: plan with --detailed-exitcode and fail when live DNS no longer
# matches the zone files, with the plan (what apply would do to put it back) in the job
# summary.
#
# Outputs: result (in-sync | drift | invalid | error), has-changes.
# Exit status: 0 in sync; 1 on drift, invalid zone files or any error.
set -euo pipefail
# shellcheck source=scripts/gha/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
make_scratch
commit=${GITHUB_SHA:-}
commit=${commit:0:7}

finish() { # finish RESULT EXIT_CODE
  set_output result "$1"
  set_output has-changes "$([[ $1 == drift ]] && echo true || echo false)"
  exit "$2"
}

summary <<<'## dnssync drift check'$'\n'

echo "::group::dnssync validate"
capture "$SCRATCH/validate.txt" dnssync validate --zones "$DNSSYNC_ZONES"
echo "::endgroup::"
if ((CAPTURED_EXIT != 0)); then
  {
    printf '❌ The zone files are invalid, so live DNS could not be compared with them.\n\n'
    fenced_log "$SCRATCH/validate.txt"
  } | summary
  gha_error 'dnssync drift' 'The zone files are invalid.'
  finish invalid 1
fi

if ! has_token; then
  summary <<<'❌ `VPS_API_TOKEN` is not set for this job, so live DNS could not be read. It needs a token with `dns:list` and `dns:read`.'
  gha_error 'dnssync drift' 'VPS_API_TOKEN is not set; live DNS could not be read.'
  finish error 1
fi

plan_to "$SCRATCH/plan.md" "$SCRATCH/plan.err" "$SCRATCH/plan-summary.md"
case $PLAN_EXIT in
0)
  summary <<<"✅ Live DNS matches the zone files${commit:+ at $commit}."
  finish in-sync 0
  ;;
2)
  {
    printf '❌ **Live DNS differs from the zone files%s.** The plan below is what `dnssync apply` would do to make it match them again.\n\n' "${commit:+ at $commit}"
    plan_summary_text "$SCRATCH/plan.md" "$SCRATCH/plan-summary.md"
    printf '\nEither change the zone files to keep what was changed by hand (a pull request; its plan should then show no changes), or run **dns-apply** by hand to put the zone files back in force.\n'
  } | summary
  gha_error 'DNS drift' 'Live DNS differs from the zone files; the job summary shows what differs.'
  finish drift 1
  ;;
*)
  {
    printf '❌ Planning failed.\n\n'
    fenced "$SCRATCH/plan.err"
  } | summary
  gha_error 'dnssync drift' 'Planning failed; see the log.'
  finish error 1
  ;;
esac
