# shellcheck shell=bash
# Sourced by the scripts: puts Go, the pinned Node 24 and pnpm on PATH, installing the last two
# into .tools/ (git-ignored) when they are absent. Safe to source more than once.
set -euo pipefail

GOSHIP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export GOSHIP_ROOT
GOSHIP_TOOLS="$GOSHIP_ROOT/.tools"
export GOSHIP_TOOLS

export PATH="/usr/local/go/bin:$PATH"
GOPATH_DIR=$(go env GOPATH)
# Where scripts/install-tools keeps the pinned tools; the test kit reads it too.
export GOSHIP_TOOLS_DIR="$GOPATH_DIR/goship-tools"
export PATH="$GOSHIP_TOOLS/bin:$GOSHIP_TOOLS/node/node_modules/.bin:$GOPATH_DIR/bin:$PATH"

# pinned NAME: the version column of tools.versions.
pinned() { awk -v n="$1" '$1 == n { print $2 }' "$GOSHIP_ROOT/tools.versions"; }

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_node() {
  local want have=""
  want=$(pinned node)
  if [ -x "$GOSHIP_TOOLS/node/node_modules/.bin/node" ]; then
    have=$("$GOSHIP_TOOLS/node/node_modules/.bin/node" --version 2>/dev/null || true)
  fi
  if [ "$have" != "v$want" ]; then
    log "installing Node $want (npm package 'node') into .tools/node"
    mkdir -p "$GOSHIP_TOOLS/node"
    (cd "$GOSHIP_TOOLS/node" && [ -f package.json ] || echo '{"private":true}' > package.json)
    npm install --prefix "$GOSHIP_TOOLS/node" --no-save --no-audit --no-fund --loglevel=error \
      "node@$want" "pnpm@$(pinned pnpm)" >&2
  fi
  have=$(node --version)
  [ "$have" = "v$want" ] || { echo "expected node v$want on PATH, found $have ($(command -v node))" >&2; exit 1; }
  [ "$(pnpm --version)" = "$(pinned pnpm)" ] || {
    npm install --prefix "$GOSHIP_TOOLS/node" --no-save --no-audit --no-fund --loglevel=error \
      "node@$want" "pnpm@$(pinned pnpm)" >&2
  }
}

# ensure_deps: pnpm install --frozen-lockfile, skipped when the lockfile has not changed.
ensure_deps() {
  ensure_node
  local stamp="$GOSHIP_ROOT/node_modules/.goship-lock-hash" want
  want=$(cat "$GOSHIP_ROOT/pnpm-lock.yaml" "$GOSHIP_ROOT/tools.versions" | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "pnpm install --frozen-lockfile"
    (cd "$GOSHIP_ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2)
    echo "$want" > "$stamp"
  fi
}

# ensure_apt CMD:PACKAGE...: installs the Debian package of each missing command.
ensure_apt() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
