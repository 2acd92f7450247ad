#!/usr/bin/env bash
# For a maintainer's run that plans a pull request from a fork: replace the zone files of
# this (trusted) checkout with those of the pull request, checked out beforehand into
# DNSSYNC_PR_CHECKOUT. Nothing else of the pull request is used; it stays data.
#
# Refuses symbolic links: dnssync would follow one to any file on the runner and could
# quote it in an error message, in the log or the pull-request comment.
#
#   DNSSYNC_PR_CHECKOUT  the pull request's checkout (default .dnssync-pr); removed after
#   DNSSYNC_ZONES        zones directory, in both trees (default zones)
# Outputs: sha (the commit the zone files come from).
set -euo pipefail
# shellcheck source=scripts/gha/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

checkout=${DNSSYNC_PR_CHECKOUT:-.dnssync-pr}
# Both paths are removed below, so they must be plain relative paths inside the workspace.
for path in "$checkout" "$DNSSYNC_ZONES"; do
  if [[ ! $path =~ ^[A-Za-z0-9_.][A-Za-z0-9_./-]*$ || $path == *..* || $path == . ]]; then
    gha_error 'dnssync' "Not a relative path inside the workspace: $path"
    exit 1
  fi
done
incoming=$checkout/$DNSSYNC_ZONES

if [[ ! -d $incoming || -L $incoming ]]; then
  gha_error 'dnssync' "The pull request has no $DNSSYNC_ZONES/ directory."
  exit 1
fi
links=$(find "$incoming" -type l)
if [[ -n $links ]]; then
  gha_error 'dnssync' "The pull request's $DNSSYNC_ZONES/ contains symbolic links; refusing to plan it: $(tr '\n' ' ' <<<"$links")"
  exit 1
fi

sha=$(git -C "$checkout" rev-parse HEAD 2>/dev/null || true)
rm -rf "$DNSSYNC_ZONES"
mv "$incoming" "$DNSSYNC_ZONES"
rm -rf "$checkout"
set_output sha "$sha"
echo "Using $DNSSYNC_ZONES/ from the pull request${sha:+ (commit ${sha:0:7})}."
