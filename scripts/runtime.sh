#!/usr/bin/env sh
# Runs a command on the project's runtime, provisioning it first on a fresh clone:
#   - Node as pinned in .node-version. When the system Node is another version, the official build
#     is taken from the npm registry (package node-<os>-<arch>, the same binaries as nodejs.org;
#     npm checks the tarball's integrity) into .tools/ (git-ignored) and put first on PATH;
#   - the pnpm pinned in package.json (packageManager);
#   - the locked dependencies.
# Cheap when everything is in place. `exec` at the end, so signals reach the command itself.
# Usage: sh scripts/runtime.sh <command> [args...]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
want_node=$(tr -d ' \n' <"$root/.node-version")

if [ "$(node --version 2>/dev/null || true)" != "v$want_node" ]; then
  system_node=$(node --version 2>/dev/null || echo none)
  dir="$root/.tools/node-v$want_node"
  if [ ! -x "$dir/bin/node" ]; then
    os=$(uname -s | tr '[:upper:]' '[:lower:]')
    case $(uname -m) in
      x86_64 | amd64) arch=x64 ;;
      aarch64 | arm64) arch=arm64 ;;
      *) echo "runtime: no Node $want_node package for $(uname -m); install Node $want_node yourself" >&2; exit 1 ;;
    esac
    echo "runtime: fetching Node $want_node (node-$os-$arch from the npm registry) into .tools/" >&2
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && npm pack --silent "node-$os-$arch@$want_node" >/dev/null)
    mkdir -p "$work/node"
    tar -xzf "$work"/node-*.tgz -C "$work/node" --strip-components=1
    "$work/node/bin/node" --version >/dev/null
    mkdir -p "$root/.tools"
    rm -rf "$dir"
    mv "$work/node" "$dir"
    rm -rf "$work"
    trap - EXIT
  fi
  PATH="$dir/bin:$PATH"
  export PATH
  echo "runtime: Node $(node --version) from .tools/ (system Node: $system_node)" >&2
else
  echo "runtime: Node $(node --version)" >&2
fi

want_pnpm=$(node -p "require('$root/package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$want_pnpm" ]; then
  echo "runtime: installing pnpm $want_pnpm (found: $(pnpm --version 2>/dev/null || echo none))" >&2
  npm install --global --no-audit --no-fund "pnpm@$want_pnpm" >/dev/null
fi

cd "$root"
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  pnpm install --frozen-lockfile
fi

exec "$@"
