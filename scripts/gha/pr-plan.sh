#!/usr/bin/env bash
# The pull-request check: validate the zone files (annotations land on the changed lines),
# then plan against live DNS and write the PR comment body. The log shows the plan as
# text; the job summary as Markdown.
#
# Without VPS_API_TOKEN, a run for a pull request from a fork (GitHub gives those no
# secrets) validates only and says so. Any other run fails: it is meant to have the
# token, and a green check would hide that nobody saw a plan.
#
# Inputs (besides those in lib.sh):
#   DNSSYNC_OUT   directory for the files below (created; default $RUNNER_TEMP/dnssync).
#                 The workflow uploads it as the artifact that apply-reviewed.sh later
#                 looks for, dnssync-plan-pr-<N> (DNSSYNC_ARTIFACT_PREFIX<N>).
#   DNSSYNC_PR    the pull request's number
#   DNSSYNC_PR_FROM_FORK  "true" for a run for a pull request from a fork (action.yml
#                 sets it from the event)
#   DNSSYNC_BASE_ZONES  the base branch's zones directory, when checked out: the comment's
#                 "DNS checks" section then shows first what the pull request brings
# Files: plan.json (for the apply on merge), plan.txt (the plan as text), plan.md (as
# Markdown, as in the job summary: cut only past 1 MiB), comment.md, failure.json (when
# the check could not plan: pr-comment.mjs then keeps the last plan, marked stale),
# validate.txt, plan-errors.txt, findings.json, checks.md.
# Outputs: result (invalid | skipped | no-token | no-changes | changes | error),
# has-changes, unsafe, planned, out-dir.
# Exit status: 1 when the zone files are invalid, the token is missing (except on a
# fork's pull request) or planning failed, else 0.
set -euo pipefail
# shellcheck source=scripts/gha/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out=${DNSSYNC_OUT:-${RUNNER_TEMP:-.}/dnssync}
mkdir -p "$out"
rm -f "$out/plan.json" "$out/plan.md" "$out/plan.txt" "$out/plan-errors.txt" "$out/comment.md" \
  "$out/failure.json" "$out/validate.txt" "$out/findings.json" "$out/checks.md"
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

# The artifact the workflow uploads this directory as (a fork's run uploads none).
artifact=
prefix=${DNSSYNC_ARTIFACT_PREFIX:-dnssync-plan-pr-}
if [[ ${DNSSYNC_PR:-} =~ ^[1-9][0-9]*$ && $prefix =~ ^[A-Za-z0-9_.-]+$ && ${DNSSYNC_PR_FROM_FORK:-} != true ]]; then
  artifact=$prefix$DNSSYNC_PR
fi

if ((validate_exit != 0)); then
  status=invalid
elif ! has_token; then
  if [[ ${DNSSYNC_PR_FROM_FORK:-} == true ]]; then status=skipped; else status=no-token; fi
else
  echo "::group::dnssync plan"
  plan_to "$out/plan.txt" "$out/plan-errors.txt" "$out/plan.md" --out "$out/plan.json"
  echo "::endgroup::"
  case $PLAN_EXIT in
  0) status=no-changes ;;
  2) status=changes ;;
  *)
    status=error
    # An error printed beside the text plan rather than on stderr.
    [[ -s $out/plan-errors.txt ]] || without_workflow_commands "$out/plan.txt" >"$out/plan-errors.txt"
    ;;
  esac
fi
# Only a plan that was fully made may be applied later, or shown.
[[ $status == no-changes || $status == changes ]] || rm -f "$out/plan.json" "$out/plan.md" "$out/plan.txt"

unsafe=()
if [[ $status == changes ]]; then
  mapfile -t unsafe < <(node "$GHA_SCRIPTS/comment-body.mjs" --list-unsafe --dir "$out")
fi
merge_note='Merging will not apply this plan: the apply on merge refuses an unsafe plan. If the changes are intended, merge, then a maintainer who has checked the plan runs dns-apply by hand (Actions → dns-apply → Run workflow) with force ticked.'

case $status in
invalid)
  {
    printf '## dnssync: the zone files are invalid\n\n'
    printf 'Nothing was planned. Each error is also annotated on its line under *Files changed*.\n\n'
    fenced_log "$out/validate.txt" 1000000
  } | summary
  ;;
skipped)
  gha_notice 'dnssync' 'Zone files are valid. Not planned: this run is for a pull request from a fork, so it has no VPS_API_TOKEN.'
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
no-token)
  summary <<'TEXT'
## dnssync: not planned: no `VPS_API_TOKEN`

The zone files are valid, but this run has no `VPS_API_TOKEN`, so live DNS was not read
and nothing was planned. It is a run for a pull request from a branch of this repository,
or one started by hand, and those get the repository's secrets: add the secret
`VPS_API_TOKEN` (a VPS.org token with `dns:list` and `dns:read`) under **Settings →
Secrets and variables → Actions**, then re-run this check.

Until a check makes a plan, merging applies a fresh plan made at merge time, which nobody
has reviewed on the pull request.
TEXT
  ;;
no-changes | changes)
  {
    plan_summary_text "$out/plan.txt" "$out/plan.md"
    if ((${#unsafe[@]} > 0)); then printf '\n> [!IMPORTANT]\n> %s\n' "$merge_note"; fi
    printf '\nThe plan as text is in the job log'
    if [[ -n $artifact ]]; then
      printf ', and in the artifact `%s`: `plan.txt`, `plan.md` (this Markdown) and `plan.json`' "$artifact"
    fi
    printf '.\n'
  } | summary
  ;;
error)
  {
    printf '## dnssync: planning failed\n\n'
    fenced_log "$out/plan-errors.txt" 100000
  } | summary
  ;;
esac

node "$GHA_SCRIPTS/comment-body.mjs" --status "$status" --dir "$out" >"$out/comment.md"

set_output result "$status"
set_output has-changes "$([[ $status == changes ]] && echo true || echo false)"
set_output unsafe "$( ((${#unsafe[@]} > 0)) && echo true || echo false)"
set_output planned "$([[ -f $out/plan.json ]] && echo true || echo false)"
set_output out-dir "$out"

if ((${#unsafe[@]} > 0)); then
  printf -v zones '%s, ' "${unsafe[@]:0:10}"
  zones=${zones%, }
  ((${#unsafe[@]} <= 10)) || zones="$zones and $((${#unsafe[@]} - 10)) more"
  gha_warning 'dnssync' "The plan is unsafe ($zones). $merge_note"
fi
case $status in
invalid) gha_error 'dnssync' 'The zone files are invalid; see the annotations.' && exit 1 ;;
no-token) gha_error 'dnssync' 'VPS_API_TOKEN is not set, so nothing was planned. Runs for pull requests from this repository, and runs by hand, need it: add the repository secret VPS_API_TOKEN and re-run.' && exit 1 ;;
error) gha_error 'dnssync' 'Planning failed; see the log.' && exit 1 ;;
esac
exit 0
