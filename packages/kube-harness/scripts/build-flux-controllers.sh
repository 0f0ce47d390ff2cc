#!/usr/bin/env bash
# Builds the real Flux controllers that can be built here (source-, kustomize- and helm-controller of the Flux
# release in versions.json) from the Go module proxy into OUT_DIR, once. Nothing built here is committed.
#
# Their root modules cannot be `go install`ed: go.mod replaces github.com/fluxcd/<controller>/api with ./api,
# and the module zip leaves that nested module out. So each is built inside a copy of its downloaded module,
# with its api module, downloaded at the same version, copied to ./api, as upstream's Dockerfile builds it
# (CGO_ENABLED=0, -trimpath; plus -s -w to drop the symbol tables: 144 -> 100 MB).
#
# One departure: source-controller v1.9.5 requires github.com/fluxcd/pkg/artifact v0.18.3, which the proxy
# refuses ("This module version is not available"); it serves v0.18.1 of the same minor line, whose API the
# controller compiles against unchanged (the v0.18.2/3 bumps upstream are dependency updates), so the build
# replaces that one module.
#
# notification-controller and the image controllers are not built: the proxy refuses their root modules.
#
# usage: build-flux-controllers.sh OUT_DIR
# env:   GOMODCACHE as usual. The build cache is a throwaway directory, removed afterwards: the three share it
#        while they build, and it would keep ~6 GB on the disk for binaries that are built once.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$1
version() { node -p "require('$here/versions.json').flux['$1']"; }
controllers=(source-controller kustomize-controller helm-controller)
# The module cache directory of one module version, downloaded when missing.
downloaded() { (cd "$work" && go mod download -json "$1" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p'); }

missing=()
for name in "${controllers[@]}"; do [ -x "$out/$name" ] || missing+=("$name"); done
[ ${#missing[@]} -eq 0 ] && exit 0

mkdir -p "$out"
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export CGO_ENABLED=0 GOCACHE="$work/gocache" GOFLAGS=-modcacherw
started=$SECONDS
for name in "${missing[@]}"; do
  v=$(version "$name")
  echo "kube-harness: building $name $v from the Go module proxy (first run only)"
  module=github.com/fluxcd/$name
  src="$work/src/$name"
  mkdir -p "$work/src"
  cp -r "$(downloaded "$module@$v")" "$src"
  chmod -R u+w "$src"
  rm -rf "$src/api"
  cp -r "$(downloaded "$module/api@$v")" "$src/api"
  chmod -R u+w "$src/api"
  cd "$src"
  if [ "$name" = source-controller ] && grep -q 'github.com/fluxcd/pkg/artifact v0.18.3' go.mod; then
    go mod edit -replace github.com/fluxcd/pkg/artifact=github.com/fluxcd/pkg/artifact@v0.18.1
  fi
  go build -mod=mod -trimpath -ldflags "-s -w" -o "$out/$name.tmp" .
  mv "$out/$name.tmp" "$out/$name"
done
echo "kube-harness: Flux controllers ready in $out (built in $((SECONDS - started)) s)"
