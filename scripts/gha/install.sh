#!/usr/bin/env bash
# Installs dnssync for the composite action and puts a `dnssync` command on PATH (and its
# path in DNSSYNC_BIN) for the steps after it.
#
#   DNSSYNC_VERSION  empty: build dnssync from the action's own source, i.e. the version
#                    the `uses: owner/dnssync@REF` ref names (or this repository itself
#                    with `uses: ./`). Otherwise an npm version or dist-tag to install.
#   GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_PATH, GITHUB_ENV   set by the runner
set -euo pipefail

source_dir=${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
version=${DNSSYNC_VERSION:-}
bin_dir=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/dnssync-bin
mkdir -p "$bin_dir"

if [[ -z $version ]]; then
  if [[ ! -f $source_dir/dist/cli.js ]]; then
    echo "::group::build dnssync from $source_dir"
    (cd "$source_dir" && npm ci --no-audit --no-fund && npm run build)
    echo "::endgroup::"
  fi
  cli=$source_dir/dist/cli.js
else
  # Only a version or a dist-tag: anything else would reach npm as an option or a URL.
  if [[ ! $version =~ ^[0-9A-Za-z][0-9A-Za-z.+-]*$ ]]; then
    echo "::error title=dnssync::version must be an npm version or dist-tag, got: $version"
    exit 1
  fi
  prefix=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/dnssync-npm/$version
  if [[ ! -f $prefix/node_modules/dnssync/dist/cli.js ]]; then
    echo "::group::npm install dnssync@$version"
    npm install --prefix "$prefix" --no-audit --no-fund --omit=dev "dnssync@$version"
    echo "::endgroup::"
  fi
  cli=$prefix/node_modules/dnssync/dist/cli.js
fi

printf '#!/usr/bin/env sh\nexec node "%s" "$@"\n' "$cli" >"$bin_dir/dnssync"
chmod +x "$bin_dir/dnssync"
echo "$bin_dir" >>"${GITHUB_PATH:-/dev/null}"
echo "DNSSYNC_BIN=$bin_dir/dnssync" >>"${GITHUB_ENV:-/dev/null}"
echo "dnssync $("$bin_dir/dnssync" --version) ready: $bin_dir/dnssync"
