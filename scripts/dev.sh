#!/usr/bin/env bash
# The two commands of the README's quick start, on a machine that has only Node >= 20, npm and apt:
#   scripts/dev.sh start   install what is missing, then run the portal (app on :3000, backend on :7007)
#   scripts/dev.sh test    install what is missing, then run every test tier and print one tally
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh

install_dependencies() {
  if [ -n "${CI:-}" ]; then
    yarn install --immutable
  else
    yarn install
  fi
}

# The database tier runs on the real PostgreSQL as well as SQLite. Use the one given, else the local server,
# installing and starting Debian's when there is none.
ensure_postgres() {
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "dev.sh: installing PostgreSQL from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    version=$(ls /etc/postgresql | head -n1)
    # Trust loopback connections of this throwaway test server, as on the CI machine.
    sed -i 's/^\(host\s\+all\s\+all\s\+127\.0\.0\.1\/32\s\+\)\S\+/\1trust/' "/etc/postgresql/$version/main/pg_hba.conf"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return; sleep 1; done
  echo "dev.sh: PostgreSQL did not start on 127.0.0.1:5432" >&2
  exit 1
}

# The browser tier drives Debian's Chromium: Playwright's own browser download is not reachable here.
ensure_chromium() {
  export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
  [ -x "$CHROMIUM_PATH" ] && return
  echo "dev.sh: installing Chromium from Debian's packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

# The harness builds kube-apiserver, etcd and the Flux CRDs once into the cache (about 10 minutes cold).
prepare_harness() {
  bash packages/kube-harness/scripts/prepare.sh
}

# The demo fleet: three local clusters with seeded Flux objects, registered through a generated config file.
# Without Go or when the build fails, the portal still starts and says how to add a real cluster.
start_with_demo_fleet() {
  local demo_config="$FLUX_CACHE_DIR/demo/app-config.demo.yaml"
  # Absolute paths: the backend resolves --config relative to its own package directory.
  local configs=(--config "$PWD/app-config.yaml")
  [ -f app-config.local.yaml ] && configs+=(--config "$PWD/app-config.local.yaml")
  mkdir -p "$FLUX_CACHE_DIR/demo"
  rm -f "$demo_config"
  if prepare_harness; then
    node --require @backstage/cli/config/nodeTransform.cjs packages/kube-harness/src/demo.ts "$demo_config" &
    demo_pid=$!
    trap 'kill "$demo_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 1 120); do
      [ -f "$demo_config" ] && break
      kill -0 $demo_pid 2>/dev/null || break
      sleep 1
    done
  fi
  if [ -f "$demo_config" ]; then
    configs+=(--config "$demo_config")
  else
    echo "dev.sh: the demo fleet is not running (see the lines above for why)." >&2
    echo "dev.sh: the portal starts without it; add your own cluster under fluxOrchestrator.clusters in app-config.local.yaml." >&2
  fi
  yarn start "${configs[@]}"
}

run_tests() {
  ensure_postgres
  echo "== kube-apiserver, etcd, Flux CRDs and controllers for the end-to-end tier (prepared beside the install)"
  if ! wait "$harness_pid"; then
    cat "$harness_log"
    echo "dev.sh: preparing the harness failed (its output is above)" >&2
    exit 1
  fi
  cat "$harness_log"
  local report_dir=${TMPDIR:-/tmp}/flux-orchestrator-tests
  rm -rf "$report_dir" && mkdir -p "$report_dir"
  local failed=0 failed_steps=0

  echo "== type check"
  yarn tsc || { failed=1; failed_steps=$((failed_steps + 1)); }

  # The reports are made from the type check's declarations (dist-types), so they come after it.
  echo "== API reports of the published packages (yarn build:api-reports updates them)"
  yarn api-reports:check || { failed=1; failed_steps=$((failed_steps + 1)); }

  echo "== changesets (each pending one names packages that exist)"
  yarn changeset status || { failed=1; failed_steps=$((failed_steps + 1)); }

  echo "== OpenAPI: the generated server spec and client types match src/schema/openapi.yaml (yarn generate:openapi)"
  yarn generate:openapi --check || { failed=1; failed_steps=$((failed_steps + 1)); }

  echo "== lint (Backstage's ESLint rules)"
  yarn backstage-cli repo lint || { failed=1; failed_steps=$((failed_steps + 1)); }

  echo "== format (Prettier with Backstage's config; yarn prettier --write . fixes it)"
  yarn prettier:check || { failed=1; failed_steps=$((failed_steps + 1)); }

  # Each tier is a root script (yarn test:unit, test:e2e, test:browser), run alone or here in turn. The Jest
  # tiers load client-node, which is ESM-only, with import(): their scripts set VM modules for that.
  echo "== test:unit — unit, database, plugin and component tests"
  CI=true yarn test:unit --json --outputFile="$report_dir/unit.json" || failed=1

  echo "== test:e2e — real kube-apiservers of the harness, real Flux controllers, PostgreSQL"
  CI=true yarn test:e2e --json --outputFile="$report_dir/e2e.json" || failed=1

  echo "== test:browser — Playwright in Chromium, the built app served by the backend, the demo fleet"
  ensure_chromium || echo "dev.sh: Chromium could not be installed; the browser tier will fail" >&2
  yarn test:browser --report-dir "$report_dir" || failed=1

  echo "== test:outside — a new create-app app, the plugins from their tarballs by their READMEs; the side-by-side"
  yarn test:outside --report-dir "$report_dir" || failed=1

  node scripts/tally.js --failed-steps "$failed_steps" "$report_dir/unit.json" "$report_dir/e2e.json" "$report_dir/playwright.json" "$report_dir/outside.json" || failed=1
  return $failed
}

case "${1:-}" in
  start)
    install_dependencies
    start_with_demo_fleet
    ;;
  test)
    # The harness's Go builds (minutes on a cold machine) need neither Yarn nor node_modules: they run while the
    # dependencies install.
    harness_log=$(mktemp)
    prepare_harness >"$harness_log" 2>&1 &
    harness_pid=$!
    install_dependencies
    run_tests
    ;;
  *)
    echo "usage: scripts/dev.sh start|test" >&2
    exit 2
    ;;
esac
