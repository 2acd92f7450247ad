#!/usr/bin/env bash
# Entry point of the composite action (action.yml): runs a workflow recipe, or any
# dnssync command with the action's inputs.
#
#   DNSSYNC_COMMAND  pr-zones | pr-plan | pr-comment | apply-reviewed | drift, or a dnssync command
#                    (validate, plan, apply, import, export, verify, ...)
#   DNSSYNC_API_URL  when set, becomes VPS_API_URL
#   DNSSYNC_PR       pull request number (pr-plan, pr-comment)
#   DNSSYNC_OUT      directory of pr-plan's files (pr-plan, pr-comment)
# Outputs for plain commands: exit-code, has-changes (plan: exit 2 of --detailed-exitcode).
set -euo pipefail
# shellcheck source=scripts/gha/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ -n ${DNSSYNC_API_URL:-} ]]; then export VPS_API_URL=$DNSSYNC_API_URL; fi
command=${DNSSYNC_COMMAND:?the action needs a command}

case $command in
pr-zones) exec "$GHA_SCRIPTS/pr-zones.sh" ;;
pr-plan) exec "$GHA_SCRIPTS/pr-plan.sh" ;;
apply-reviewed) exec "$GHA_SCRIPTS/apply-reviewed.sh" ;;
drift) exec "$GHA_SCRIPTS/drift.sh" ;;
pr-comment)
  out=${DNSSYNC_OUT:-${RUNNER_TEMP:-.}/dnssync}
  # failure.json: the check could not plan, so the comment keeps its last plan, marked stale.
  failure=()
  if [[ -f $out/failure.json ]]; then failure=(--failure "$out/failure.json"); fi
  exec node "$GHA_SCRIPTS/pr-comment.mjs" --pr "${DNSSYNC_PR:?pr-comment needs pr-number}" \
    --body "$out/comment.md" "${failure[@]}"
  ;;
-*)
  echo "::error title=dnssync::The command input must be a command, not an option: $command"
  exit 1
  ;;
esac

extra_args
args=("$command")
case $command in
validate | plan | apply | import | export | verify) args+=(--zones "$DNSSYNC_ZONES") ;;
esac
# has-changes is only knowable from plan's detailed exit code, so ask for it.
if [[ $command == plan && " ${EXTRA_ARGS[*]} " != *" --detailed-exitcode "* ]]; then
  args+=(--detailed-exitcode)
fi

set +e
dnssync "${args[@]}" "${EXTRA_ARGS[@]}"
code=$?
set -e
set_output exit-code "$code"
set_output has-changes "$([[ $command == plan && $code == 2 ]] && echo true || echo false)"
# With --detailed-exitcode, 2 means "success, and there are changes".
if [[ $code == 2 && " ${args[*]} ${EXTRA_ARGS[*]} " == *" --detailed-exitcode "* ]]; then code=0; fi
exit "$code"
