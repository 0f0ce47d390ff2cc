#!/usr/bin/env bash
# Writes the Flux CD CustomResourceDefinitions of one Flux generation into OUT_DIR, obtaining them only through the
# Go module proxy (the controllers' GitHub release "*.crds.yaml" assets are not reachable from where tests run).
# Nothing written here is committed.
#
# Why the two ways of getting a CRD:
#   * When the proxy serves a controller's root module at the exact release version, its config/crd/bases is the
#     upstream CRD file and is copied as is.
#   * The proxy refuses ("403 This module version is not available") the root modules of notification-controller,
#     image-reflector-controller and image-automation-controller, and every root module of the Flux 2.4-era
#     releases, but it serves their `/api` submodules, which hold the Go types the CRDs are generated from. Upstream
#     generates config/crd/bases with `controller-gen crd:crdVersions=v1 paths=./...` run inside api/, with the
#     controller-gen version pinned in the release's Makefile (CONTROLLER_GEN_VERSION: v0.21.0 for Flux 2.9,
#     v0.16.1 for Flux 2.4). Running that same command on the served api module reproduces the upstream CRDs byte
#     for byte, so it is used whenever the root module is refused.
#
# Generations (controller versions from github.com/fluxcd/flux2/v2's manifests/crds/kustomization.yaml):
#   current  Flux v2.9.5: only the GA/stable API versions (source v1, kustomize v1, helm v2, image v1,
#            notification Receiver v1 and Alert/Provider v1beta3).
#   legacy   Flux v2.4.0: also serves the older versions (source v1beta2, OCIRepository v1beta2 only,
#            HelmRelease v2beta1/v2beta2, image v1beta1/v1beta2, Alert/Provider v1beta1..v1beta3).
#
# usage: build-flux-crds.sh GENERATION OUT_DIR     (GENERATION: current | legacy)
# env:   FLUX_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/flux-orchestrator, as in src/cacheDir.ts): the
#        controller-gen binaries are cached under its tools/ directory.
set -euo pipefail

usage() {
  echo "usage: $0 current|legacy OUT_DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
generation=$1
out=$2

# Each component: ROOT_MODULE VERSION API_MODULE. The API module is used when the proxy refuses ROOT_MODULE@VERSION.
case "$generation" in
  current)
    controller_gen_version=v0.21.0
    controller_gen_toolchain= # the go command in PATH (or whatever GOTOOLCHAIN selects)
    components=(
      "github.com/fluxcd/source-controller v1.9.5 github.com/fluxcd/source-controller/api"
      "github.com/fluxcd/kustomize-controller v1.9.5 github.com/fluxcd/kustomize-controller/api"
      "github.com/fluxcd/helm-controller v1.6.4 github.com/fluxcd/helm-controller/api"
      "github.com/fluxcd/notification-controller v1.9.4 github.com/fluxcd/notification-controller/api"
      "github.com/fluxcd/image-reflector-controller v1.2.5 github.com/fluxcd/image-reflector-controller/api"
      "github.com/fluxcd/image-automation-controller v1.2.5 github.com/fluxcd/image-automation-controller/api"
    )
    ;;
  legacy)
    controller_gen_version=v0.16.1
    # controller-gen v0.16.1 pins golang.org/x/tools v0.24.0, which does not compile with Go >= 1.25 ("invalid array
    # length -delta * delta" in internal/tokeninternal, golang/go#74462). Build it with the Go release Flux 2.4 was
    # built with instead, fetched by the go command as the golang.org/toolchain module; the binary is unmodified.
    controller_gen_toolchain=go1.23.12
    components=(
      "github.com/fluxcd/source-controller v1.4.1 github.com/fluxcd/source-controller/api"
      "github.com/fluxcd/kustomize-controller v1.4.0 github.com/fluxcd/kustomize-controller/api"
      "github.com/fluxcd/helm-controller v1.1.0 github.com/fluxcd/helm-controller/api"
      "github.com/fluxcd/notification-controller v1.4.0 github.com/fluxcd/notification-controller/api"
      "github.com/fluxcd/image-reflector-controller v0.33.0 github.com/fluxcd/image-reflector-controller/api"
      "github.com/fluxcd/image-automation-controller v0.39.0 github.com/fluxcd/image-automation-controller/api"
    )
    ;;
  *) usage ;;
esac

# The 13 kinds the harness needs (controller-gen names files <group>_<plural>.yaml). Extra CRDs a release ships,
# such as ExternalArtifact in source-controller v1.9, are written too.
expected=(
  source.toolkit.fluxcd.io_gitrepositories.yaml
  source.toolkit.fluxcd.io_ocirepositories.yaml
  source.toolkit.fluxcd.io_helmrepositories.yaml
  source.toolkit.fluxcd.io_helmcharts.yaml
  source.toolkit.fluxcd.io_buckets.yaml
  kustomize.toolkit.fluxcd.io_kustomizations.yaml
  helm.toolkit.fluxcd.io_helmreleases.yaml
  notification.toolkit.fluxcd.io_alerts.yaml
  notification.toolkit.fluxcd.io_providers.yaml
  notification.toolkit.fluxcd.io_receivers.yaml
  image.toolkit.fluxcd.io_imagerepositories.yaml
  image.toolkit.fluxcd.io_imagepolicies.yaml
  image.toolkit.fluxcd.io_imageupdateautomations.yaml
)

# The stamp records what OUT_DIR was built from, so a directory built for the other generation is not reused.
stamp_name=.flux-crds-stamp
stamp="generation=$generation controller-gen=$controller_gen_version ${components[*]}"

all_present() {
  local f
  for f in "${expected[@]}"; do
    [ -s "$1/$f" ] || return 1
  done
}

if all_present "$out" && [ "$(cat "$out/$stamp_name" 2>/dev/null)" = "$stamp" ]; then
  echo "kube-harness: Flux CRDs ($generation) already present in $out"
  exit 0
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
cache_dir=${FLUX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flux-orchestrator}
mkdir -p "$cache_dir/tools"
cache_dir=$(cd "$cache_dir" && pwd)

# Staging directory next to OUT_DIR so the final moves are renames on the same file system.
staging=$(mktemp -d "$out/.staging.XXXXXX")
work=$(mktemp -d)
trap 'rm -rf "$staging" "$work"' EXIT
export GOFLAGS=-mod=mod GOWORK=off

# Runs a command with its output (mostly "go: downloading ...") kept in a log that is shown only on failure.
quiet() {
  local log="$work/command.log"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "kube-harness: command failed: $*" >&2
    return 1
  fi
}

controller_gen="$cache_dir/tools/controller-gen-$controller_gen_version/controller-gen"
ensure_controller_gen() {
  [ -x "$controller_gen" ] && return 0
  echo "kube-harness: installing controller-gen $controller_gen_version${controller_gen_toolchain:+ (built with Go ${controller_gen_toolchain#go})} from the Go module proxy (first run only)"
  local gobin
  gobin=$(mktemp -d "$cache_dir/tools/.controller-gen.XXXXXX")
  (
    cd "$work"
    if [ -n "$controller_gen_toolchain" ]; then export GOTOOLCHAIN=$controller_gen_toolchain; fi
    GOBIN="$gobin" quiet go install "sigs.k8s.io/controller-tools/cmd/controller-gen@$controller_gen_version"
  )
  mkdir -p "$(dirname "$controller_gen")"
  mv "$gobin/controller-gen" "$controller_gen"
  rm -rf "$gobin"
}

# Prints the module's directory in the module cache, or nothing when the proxy does not serve that version.
module_dir() {
  (cd "$work" && go mod download -json "$1@$2" 2>/dev/null || true) |
    sed -n 's/^\s*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

for component in "${components[@]}"; do
  read -r root_module version api_module <<<"$component"
  name=${root_module##*/}
  dir=$(module_dir "$root_module" "$version")
  if [ -n "$dir" ] && compgen -G "$dir/config/crd/bases/*.yaml" >/dev/null; then
    echo "kube-harness: $name $version: copying config/crd/bases from the root module"
    cp "$dir"/config/crd/bases/*.yaml "$staging"/
    continue
  fi
  dir=$(module_dir "$api_module" "$version")
  if [ -z "$dir" ]; then
    echo "kube-harness: the Go module proxy serves neither $root_module@$version nor $api_module@$version" >&2
    exit 1
  fi
  ensure_controller_gen
  echo "kube-harness: $name $version: root module not served by the proxy, generating from $api_module with controller-gen $controller_gen_version"
  # The module cache is read-only and controller-gen may need to complete go.mod/go.sum, so work on a copy.
  src="$work/$name"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  (cd "$src" && quiet "$controller_gen" crd:crdVersions=v1 paths=./... output:crd:artifacts:config="$staging")
done

missing=()
for f in "${expected[@]}"; do
  [ -s "$staging/$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "kube-harness: Flux CRDs missing after generation: ${missing[*]}" >&2
  exit 1
fi

chmod 644 "$staging"/*.yaml
rm -f "$out/$stamp_name"
# Drop Flux CRDs left by an earlier build of another generation (e.g. ExternalArtifact exists only in `current`).
for f in "$out"/*.fluxcd.io_*.yaml; do
  if [ -e "$f" ] && [ ! -e "$staging/${f##*/}" ]; then rm -f "$f"; fi
done
mv -f "$staging"/*.yaml "$out"/
echo "$stamp" >"$out/$stamp_name"
echo "kube-harness: Flux CRDs ($generation) ready in $out ($(ls "$out"/*.yaml | wc -l) files)"
