/**
 * Real Kubernetes API servers (kube-apiserver + etcd, as envtest runs them) with the Flux CRDs, for the
 * end-to-end tests, the fleet benchmark and the demo fleet.
 *
 * @packageDocumentation
 */
export { ensureKubeBinaries, KUBERNETES_VERSION, ETCD_VERSION } from './binaries';
export type { KubeBinaries } from './binaries';
