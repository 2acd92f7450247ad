#!/usr/bin/env bash
# The pull-request check: validate the zone files (annotations land on the
# changed lines), then plan against live DNS and write the PR comment body. Without a
# token, as on pull requests from forks, it validates only and says why in the summary.
#
# Inputs (besides those in lib.sh):
#   DNSSYNC_OUT   directory for plan.json, plan.md, comment.md, validate.txt (created;
#                 default $RUNNER_TEMP/dnssync). The workflow uploads it as the artifact
#                 that apply-reviewed.sh later looks for.
#   DNSSYNC_PR    the pull request's number, for the text only
#   DNSSYNC_BASE_ZONES  the base branch's zones directory, when checked out: the comment's
#                 "DNS checks" section then shows first what the pull request brings
# Outputs: result (invalid | skipped | no-changes | changes | error), has-changes, planned,
# out-dir.
# Exit status: 1 when the zone files are invalid or planning failed, else 0.
set -euo pipefail
# shellcheck source=scripts/gha/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out=${DNSSYNC_OUT:-${RUNNER_TEMP:-.}/dnssync}
mkdir -p "$out"
rm -f "$out/plan.json" "$out/plan.md" "$out/plan-errors.txt" "$out/comment.md" "$out/validate.txt" \
  "$out/findings.json" "$out/checks.md"
make_scratch

echo "::group::dnssync validate"
capture "$out/validate.txt" dnssync validate --zones "$DNSSYNC_ZONES"
validate_exit=$CAPTURED_EXIT
echo "::endgroup::"

# The DNS checks' findings for the comment: this branch's, and the base branch's to fold
# what was there before. Only a report that could be made is shown.
if dnssync validate --zones "$DNSSYNC_ZONES" --format json >"$out/findings.json" 2>/dev/null ||
  [[ -s $out/findings.json ]]; then
  base_args=()
  base_zones=${DNSSYNC_BASE_ZONES:-}
  if [[ -n $base_zones && -d $base_zones ]] &&
    { dnssync validate --zones "$base_zones" --format json >"$SCRATCH/base-findings.json" 2>/dev/null ||
      [[ -s $SCRATCH/base-findings.json ]]; }; then
    base_args=(--base "$SCRATCH/base-findings.json")
  fi
  dnssync checks --report "$out/findings.json" "${base_args[@]}" >"$out/checks.md" 2>/dev/null ||
    rm -f "$out/checks.md"
fi

if ((validate_exit != 0)); then
  status=invalid
elif ! has_token; then
  status=skipped
else
  echo "::group::dnssync plan"
  plan_to "$out/plan.md" "$out/plan-errors.txt" "$SCRATCH/plan-summary.md" --out "$out/plan.json"
  echo "::endgroup::"
  case $PLAN_EXIT in
  0) status=no-changes ;;
  2) status=changes ;;
  *) status=error ;;
  esac
fi
# Only a plan that was fully made may be applied later.
[[ $status == no-changes || $status == changes ]] || rm -f "$out/plan.json"

case $status in
invalid)
  {
    printf '## dnssync: the zone files are invalid\n\n'
    printf 'Nothing was planned. Each error is also annotated on its line under *Files changed*.\n\n'
    fenced_log "$out/validate.txt"
  } | summary
  ;;
skipped)
  gha_notice 'dnssync' 'Zone files are valid. Not planned: VPS_API_TOKEN is not available to this run.'
  summary <<'TEXT'
## dnssync: validated only

The zone files are valid, but no plan was made: this run has no `VPS_API_TOKEN`.
GitHub gives no secrets to workflows started by pull requests from forks, so nothing
here could read live DNS.

A maintainer can plan this pull request after reading its diff: **Actions → dns-plan →
Run workflow**, with the pull request's number. That run takes only `zones/` from the
pull request (the tooling comes from the default branch) and posts the plan as a comment.
TEXT
  ;;
no-changes | changes)
  plan_summary_text "$out/plan.md" "$SCRATCH/plan-summary.md" | summary
  ;;
error)
  {
    printf '## dnssync: planning failed\n\n'
    fenced "$out/plan-errors.txt"
  } | summary
  ;;
esac

node "$GHA_SCRIPTS/comment-body.mjs" --status "$status" --dir "$out" >"$out/comment.md"

set_output result "$status"
set_output has-changes "$([[ $status == changes ]] && echo true || echo false)"
set_output planned "$([[ -f $out/plan.json ]] && echo true || echo false)"
set_output out-dir "$out"

case $status in
invalid) gha_error 'dnssync' 'The zone files are invalid; see the annotations.' && exit 1 ;;
error) gha_error 'dnssync' 'Planning failed; see the log.' && exit 1 ;;
esac
exit 0
