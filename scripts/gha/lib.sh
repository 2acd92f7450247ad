# shellcheck shell=bash
# Helpers shared by the workflow recipes in scripts/gha/ (sourced, not run).
#
# Every recipe reads its inputs from the environment, so a workflow step, the composite
# action and the tests all run exactly the same code:
#   DNSSYNC_BIN      how to start dnssync (default: `dnssync` on PATH). Split on spaces,
#                    so `node /path/to/dist/cli.js` works; paths must not contain spaces.
#   DNSSYNC_ZONES    directory of zone files (default: zones)
#   DNSSYNC_ARGS     extra arguments for dnssync, split on spaces (e.g. `--force`)
#   VPS_API_TOKEN    the VPS.org token; only ever read from the environment
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT   set by the runner; ignored when absent

DNSSYNC_ZONES=${DNSSYNC_ZONES:-zones}
GHA_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

dnssync() {
  local -a bin
  read -r -a bin <<<"${DNSSYNC_BIN:-dnssync}"
  "${bin[@]}" "$@"
}

# Extra arguments from DNSSYNC_ARGS, as an array (empty when unset).
extra_args() {
  EXTRA_ARGS=()
  if [[ -n "${DNSSYNC_ARGS:-}" ]]; then read -r -a EXTRA_ARGS <<<"$DNSSYNC_ARGS"; fi
}

# Appends stdin to the job summary.
summary() {
  cat >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
}

# GitHub drops a step's whole job summary when it passes 1 MiB; SUMMARY_ROOM is what is
# left of that in this step's summary file (bytes).
SUMMARY_LIMIT=1048576
summary_room() {
  local used=0
  if [[ -n ${GITHUB_STEP_SUMMARY:-} && -f $GITHUB_STEP_SUMMARY ]]; then
    used=$(wc -c <"$GITHUB_STEP_SUMMARY")
  fi
  SUMMARY_ROOM=$((SUMMARY_LIMIT - used))
}

set_output() {
  printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:-/dev/null}"
}

# GitHub's escaping for a workflow command's message: no raw CR or LF (a new line could
# start a command of its own), no `%` the runner would read as an escape. The same as
# forWorkflowData in src/text/workflow.ts (test/text-scripts.test.ts checks both).
escape_data() {
  local text=$1
  text=${text//'%'/'%25'}
  text=${text//$'\r'/'%0D'}
  text=${text//$'\n'/'%0A'}
  printf '%s' "$text"
}

# A property value (`title=...`): `:` and `,` are syntax there too (forWorkflowProperty).
escape_property() {
  local text
  text=$(escape_data "$1")
  text=${text//':'/'%3A'}
  text=${text//','/'%2C'}
  printf '%s' "$text"
}

# Text as a terminal may show it: controls and bidirectional marks as visible escapes
# (the tested copy of dnssync's forTerminal in comment-body.mjs). Messages may quote names
# from a pull request, which must not act on the job log's viewer.
for_terminal() {
  # The text goes first: comment-body.mjs runs as a script when argv[1] is its own path.
  node -e 'import(process.argv[2]).then((m) => process.stdout.write(m.forTerminal(process.argv[1])))' \
    "$1" "$GHA_SCRIPTS/comment-body.mjs"
}

gha_error() {
  printf '::error title=%s::%s\n' "$(escape_property "$1")" "$(escape_data "$(for_terminal "$2")")"
}

gha_warning() {
  printf '::warning title=%s::%s\n' "$(escape_property "$1")" "$(escape_data "$(for_terminal "$2")")"
}

gha_notice() {
  printf '::notice title=%s::%s\n' "$(escape_property "$1")" "$(escape_data "$(for_terminal "$2")")"
}

has_token() {
  [[ -n "${VPS_API_TOKEN:-}" ]]
}

# capture FILE CMD...: runs CMD with its output shown in the log and copied to FILE.
# Sets CAPTURED_EXIT instead of failing, so the caller can tell 0, 1 and 2 apart.
capture() {
  local file=$1
  shift
  set +e
  "$@" 2>&1 | tee "$file"
  CAPTURED_EXIT=${PIPESTATUS[0]}
  set -e
}

# plan_to TEXT_FILE ERR_FILE SUMMARY_COPY ARGS...: runs `dnssync plan`, its text plan on
# stdout saved to TEXT_FILE and shown in the log, stderr saved to ERR_FILE (shown after),
# and the Markdown plan it writes for the job summary caught in SUMMARY_COPY, so the
# caller decides where in the summary it goes. Sets PLAN_EXIT.
plan_to() {
  local text=$1 errors=$2 summary_copy=$3
  shift 3
  : >"$summary_copy"
  set +e
  GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$summary_copy dnssync plan --zones "$DNSSYNC_ZONES" \
    --no-color --detailed-exitcode "$@" 2>"$errors" | tee "$text"
  PLAN_EXIT=${PIPESTATUS[0]}
  set -e
  cat "$errors" >&2
}

# The plan's Markdown for the summary (what plan wrote there), else its text plan.
plan_summary_text() {
  local text=$1 summary_copy=$2
  if [[ -s "$summary_copy" ]]; then cat "$summary_copy"; else fenced_log "$text"; fi
}

# What went wrong, for a summary or comment: plan's stderr, else (an error it printed
# beside the text plan) its stdout.
plan_errors_text() {
  local text=$1 errors=$2
  if [[ -s "$errors" ]]; then cat "$errors"; else without_workflow_commands "$text"; fi
}

# Text in a fenced block that its own content cannot close early: the fence is longer
# than any backtick run in it (as codeBlock in src/text/markdown.ts). The text is
# dnssync's output, which shows untrusted text in terminal form already.
fenced() {
  local fence='```'
  while grep -qF -- "$fence" "$1" 2>/dev/null; do fence="$fence\`"; done
  printf '%stext\n' "$fence"
  cat "$1"
  [[ -s "$1" && -n "$(tail -c 1 "$1")" ]] && printf '\n'
  printf '%s\n' "$fence"
}

# Workflow commands (annotations) are for the log, not for Markdown.
without_workflow_commands() {
  grep -v '^::' "$1" || true
}

# A command log as a fenced block for Markdown: annotations left out (they are for the
# log), at most the last MAX_BYTES bytes (default: all), cut at a line boundary so no
# character is torn in two.
fenced_log() { # fenced_log FILE [MAX_BYTES]
  local text="$SCRATCH/fenced-log.txt"
  if [[ -n ${2:-} && $(without_workflow_commands "$1" | wc -c) -gt $2 ]]; then
    without_workflow_commands "$1" | tail -c "$2" | tail -n +2 >"$text"
  else
    without_workflow_commands "$1" >"$text"
  fi
  fenced "$text"
}

# Sets SCRATCH to a directory that goes away when the script ends. (Not to be called in
# $(...): the trap would fire as soon as that subshell ends.)
make_scratch() {
  SCRATCH=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/dnssync-gha.XXXXXX")
  trap 'rm -rf "$SCRATCH"' EXIT
}
