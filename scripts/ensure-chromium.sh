#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (tests/browser/) and
# print its `export` line on stdout. Strict usage, as with ensure-postgres.sh:
#   exports="$(scripts/ensure-chromium.sh)" && eval "$exports"
# (a bare `eval "$(...)"` would swallow this script's exit status).
# Outside CI a failure is only a warning (exit 0, no export: the browser tests
# then skip, saying why); with CI=true it is fatal.
# The tests drive this binary with the playwright package (executable_path);
# playwright's own browser downloads are never used.
set -euo pipefail

# Only the final export line may reach stdout; our logs and apt go to stderr.
# fd 3 keeps the real stdout.
exec 3>&1 1>&2

CHROMIUM="${PODIUM_TEST_CHROMIUM:-/usr/bin/chromium}"

log() { echo "ensure-chromium: $*"; }

# Any failure ends here: fatal in CI, a warning elsewhere so local runs go on.
on_exit() {
  local rc=$?
  ((rc == 0)) && return 0
  if [[ "${CI:-}" == true ]]; then
    log "ERROR: could not provide Chromium (CI=true, so this is fatal); see above"
    exit "$rc"
  fi
  log "WARNING: could not provide Chromium; the browser tests will be skipped"
  exit 0
}
trap on_exit EXIT

# A binary that runs, not just a file: a half-installed package fails here.
can_run() {
  [[ -x $CHROMIUM ]] && "$CHROMIUM" --headless --no-sandbox --version >/dev/null 2>&1
}

if ! can_run; then
  if [[ $CHROMIUM != /usr/bin/chromium ]]; then
    log "PODIUM_TEST_CHROMIUM=$CHROMIUM does not run; not installing over a path we did not choose"
    exit 1
  fi
  log "no working $CHROMIUM; installing Debian's chromium package"
  sudo_=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { log "not root and no sudo: install chromium by hand"; exit 1; }
    sudo_=(sudo -n)
  fi
  command -v apt-get >/dev/null || { log "no apt-get: install Chromium by hand and set PODIUM_TEST_CHROMIUM"; exit 1; }
  started=$SECONDS
  # One broken third-party source must not block the install from Debian's own.
  "${sudo_[@]}" apt-get update || log "apt-get update reported errors; trying the install anyway"
  "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    chromium fonts-liberation
  log "installed in $((SECONDS - started)) s"
  can_run || { log "chromium installed but $CHROMIUM --version fails"; exit 1; }
fi

log "using $("$CHROMIUM" --headless --no-sandbox --version 2>/dev/null)"
printf 'export PODIUM_TEST_CHROMIUM=%q\n' "$CHROMIUM" >&3
