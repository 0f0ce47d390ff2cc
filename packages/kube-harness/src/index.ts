/**
 * Real Kubernetes API servers (kube-apiserver + etcd, as envtest runs them) with the Flux CRDs, for the
 * end-to-end tests, the fleet benchmark and the demo fleet.
 *
 * @packageDocumentation
 */
export {
  ensureKubeBinaries,
  KUBERNETES_VERSION,
  ETCD_VERSION,
} from './binaries';
export type { KubeBinaries } from './binaries';
export { ensureFluxCrds } from './fluxCrds';
export type { FluxGeneration } from './fluxCrds';
export { startFleet } from './fleet';
export type {
  ClusterSpec,
  Fleet,
  HarnessCluster,
  StartFleetOptions,
} from './fleet';
export type { ServiceAccountTokens } from './serviceAccounts';
export { seedFluxObjects, fluxFleetObjects, apiVersionOf } from './seed';
export type { SeedObject } from './seed';
export { startFakeFluxController } from './fakeFluxController';
export type { FakeFluxController } from './fakeFluxController';
export { startDemoFleet } from './demo';
export type { DemoFleet } from './demo';
export { freePort } from './processes';
export type { RunningFluxControllers } from './fluxControllers';
export { startRealFluxCluster, startStandInBesideRealFlux } from './realFlux';
export type { DemoSources, RealFluxCluster } from './realFlux';
export type { GitRepository, GitServer } from './gitServer';
export type { ChartRepository } from './chartRepository';
export type { OciRegistry } from './ociRegistry';
export { createClusterPki } from './pki';
export type { ClusterPki, KeyPairPem } from './pki';
export { applyObjects, clientNode, kubeConfigFrom } from './clientNode';
