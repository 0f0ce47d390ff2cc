#!/usr/bin/env bash
# Makes sure the harness's kube-apiserver, etcd, Flux CRDs and Flux controllers are in the cache (building them
# once, from the Go module proxy, when missing), so that tests and the demo start in seconds. Run by
# scripts/dev.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${FLUX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flux-orchestrator}
k8s=$(node -p "require('$here/versions.json').kubernetes")
etcd=$(node -p "require('$here/versions.json').etcd")

if ! command -v go >/dev/null; then
  echo "kube-harness: Go is needed once, to build kube-apiserver and the Flux CRDs (apt-get install golang, or /usr/local/go)" >&2
  exit 1
fi
if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/kube-apiserver" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ]; then
  echo "kube-harness: using envtest binaries from KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS"
else
  bash "$here/scripts/build-kube-binaries.sh" "$k8s" "$etcd" "$cache/kube/$k8s"
fi
for generation in current legacy; do
  bash "$here/scripts/build-flux-crds.sh" "$generation" "$cache/flux-crds/$generation"
done
bash "$here/scripts/build-flux-controllers.sh" "$cache/flux-controllers/$(node -p "require('$here/versions.json').flux.release")"
