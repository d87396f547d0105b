#!/usr/bin/env sh
# Makes a fresh clone runnable: the pnpm version pinned in package.json, then the locked dependencies.
# Cheap when everything is already in place, so `npm run dev` and `npm test` can always call it.
set -eu
cd "$(dirname "$0")/.."

want=$(node -p "require('./package.json').packageManager.split('@')[1]")
have=$(pnpm --version 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  echo "installing pnpm $want (found: ${have:-none})"
  npm install --global --no-audit --no-fund "pnpm@$want" >/dev/null
fi

if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  pnpm install --frozen-lockfile
fi
