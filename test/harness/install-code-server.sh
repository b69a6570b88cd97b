#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 server + workbench) into an ignored cache folder, offline-friendly.
# Its own install scripts download binaries and refuse root, so its steps are done by hand here
# (see ../shared/reference/testing-in-real-vscode.md). Idempotent: a finished install leaves a marker.
set -euo pipefail
VERSION=4.100.3
CACHE="${APPDESK_CODE_SERVER_CACHE:-$(cd "$(dirname "$0")/../.." && pwd)/.vscode-test/code-server-$VERSION}"
MARKER="$CACHE/.installed"
if [ -f "$MARKER" ]; then echo "code-server $VERSION cached in $CACHE"; exit 0; fi
command -v rg >/dev/null || { echo "ripgrep (Debian package ripgrep) is required" >&2; exit 1; }
export npm_config_yes=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
rm -rf "$CACHE"; mkdir -p "$CACHE"; cd "$CACHE"
echo '{"name":"code-server-cache","private":true}' > package.json
echo "installing code-server@$VERSION into $CACHE"
npm install --no-save --ignore-scripts "code-server@$VERSION" >npm-install.log 2>&1 || { tail -40 npm-install.log; exit 1; }
npm rebuild argon2 >>npm-install.log 2>&1 || { tail -40 npm-install.log; exit 1; }
VS="$CACHE/node_modules/code-server/lib/vscode"
( cd "$VS" && npm install --omit=dev --ignore-scripts ) >>npm-install.log 2>&1 || { tail -40 npm-install.log; exit 1; }
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"
( cd "$VS" && npm rebuild ) >>npm-install.log 2>&1 || { tail -60 npm-install.log; exit 1; }
( cd "$VS/extensions" && npm install --omit=dev ) >>npm-install.log 2>&1 || { tail -40 npm-install.log; exit 1; }
touch "$MARKER"
echo "code-server $VERSION installed in $CACHE"
