import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { MANAGED_CLUSTER_DIR } from './binaries';
import { applyObjects, clientNode, kubeConfigFrom } from './clientNode';

/** Bearer tokens, minted with TokenRequest, of ServiceAccounts in the `flux-orchestrator` namespace. */
export interface ServiceAccountTokens {
  /** The read-only variant of deploy/managed-cluster: lists and watches every Flux kind and Events. */
  viewer: string;
  /** The operator variant of deploy/managed-cluster: the viewer's rights plus patch on Flux objects. */
  operator: string;
  /** No RBAC at all: every Flux list is a 403. */
  noRights: string;
}

const NAMESPACE = 'flux-orchestrator';

export type ManagedClusterVariant = 'read-only' | 'operator';

/** The objects of one variant of deploy/managed-cluster, which a platform team applies on each cluster. */
export function managedClusterObjects(variant: ManagedClusterVariant): any[] {
  const text = fs.readFileSync(
    path.join(MANAGED_CLUSTER_DIR, `${variant}.yaml`),
    'utf8',
  );
  return parseAllDocuments(text)
    .map(document => document.toJS())
    .filter(Boolean);
}

/**
 * Applies both variants of deploy/managed-cluster and a ServiceAccount without any binding, and mints a token for
 * each, as `kubectl create token` does. (These API servers run no controller manager, so the shipped token
 * Secrets stay empty here; TokenRequest gives the same identity.)
 */
export async function createServiceAccountTokens(
  adminKubeconfig: string,
): Promise<ServiceAccountTokens> {
  const k8s = await clientNode();
  const kc = await kubeConfigFrom(adminKubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await applyObjects(adminKubeconfig, [
    ...managedClusterObjects('read-only'),
    ...managedClusterObjects('operator'),
  ]);
  await core.createNamespacedServiceAccount({
    namespace: NAMESPACE,
    body: { metadata: { name: 'flux-no-rights' } },
  });
  const mint = async (name: string) => {
    const request = await core.createNamespacedServiceAccountToken({
      name,
      namespace: NAMESPACE,
      body: { spec: { expirationSeconds: 24 * 3600, audiences: [] } },
    });
    return request.status!.token;
  };
  return {
    viewer: await mint('flux-orchestrator-viewer'),
    operator: await mint('flux-orchestrator-operator'),
    noRights: await mint('flux-no-rights'),
  };
}
