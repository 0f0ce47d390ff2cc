#!/usr/bin/env bash
# Builds kube-apiserver (and etcd) from the Go module proxy into a cache keyed by version, the way envtest
# users obtain theirs. Nothing built here is committed. k8s.io/kubernetes cannot be `go install`ed because its
# go.mod replaces every k8s.io/* staging module with ./staging/... (kubernetes/kubernetes#79384), so a throwaway
# wrapper module requires it and points each staging module at its published v0.Y.Z release instead.
#
# usage: build-kube-binaries.sh K8S_VERSION ETCD_VERSION OUT_DIR
set -euo pipefail
k8s_version=$1 etcd_version=$2 out=$3
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod CGO_ENABLED=0

if [ ! -x "$out/kube-apiserver" ]; then
  echo "kube-harness: building kube-apiserver $k8s_version from the Go module proxy (first run only, ~10 min)"
  gomod=$(go mod download -json "k8s.io/kubernetes@$k8s_version" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
  staging_version="v0.${k8s_version#v1.}"
  mkdir -p "$work/apiserver" && cd "$work/apiserver"
  go mod init kube-harness/apiserver >/dev/null 2>&1
  {
    echo "require k8s.io/kubernetes $k8s_version"
    grep -E '=> \./staging/src/' "$gomod" | awk -v v="$staging_version" '{ print "replace " $1 " => " $1 " " v }'
  } >>go.mod
  echo 'package main; import _ "k8s.io/kubernetes/cmd/kube-apiserver/app"' >deps.go
  go mod tidy >/dev/null
  go build -trimpath -o "$out/kube-apiserver.tmp" \
    -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$k8s_version" | cut -d. -f2)" \
    k8s.io/kubernetes/cmd/kube-apiserver
  mv "$out/kube-apiserver.tmp" "$out/kube-apiserver"
fi

if [ ! -x "$out/etcd" ]; then
  echo "kube-harness: building etcd $etcd_version from the Go module proxy (first run only, ~2 min)"
  mkdir -p "$work/etcd" && cd "$work/etcd"
  go mod init kube-harness/etcd >/dev/null 2>&1
  echo "require go.etcd.io/etcd/server/v3 $etcd_version" >>go.mod
  echo 'package main; import _ "go.etcd.io/etcd/server/v3/etcdmain"' >deps.go
  go mod tidy >/dev/null
  go build -trimpath -o "$out/etcd.tmp" -ldflags "-s -w" go.etcd.io/etcd/server/v3
  mv "$out/etcd.tmp" "$out/etcd"
fi
echo "kube-harness: binaries ready in $out"
