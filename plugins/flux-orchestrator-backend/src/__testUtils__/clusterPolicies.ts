import {
  NetworkPolicy,
  STRICT_CLUSTER_POLICY,
} from '../clusters/clusterPolicy';

/** The default policy, as a deployment without `fluxOrchestrator.kubeconfig` has it. */
export const strictPolicy = {
  policy: STRICT_CLUSTER_POLICY,
  network: new NetworkPolicy(STRICT_CLUSTER_POLICY),
};

/** The policy of tests whose clusters (harness API servers, closed ports) live on loopback. */
const loopback = {
  ...STRICT_CLUSTER_POLICY,
  allowPrivateNetworks: ['127.0.0.0/8'],
};
export const loopbackPolicy = {
  policy: loopback,
  network: new NetworkPolicy(loopback),
};
