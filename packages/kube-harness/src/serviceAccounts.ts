import { clientNode, kubeConfigFrom } from './clientNode';

const FLUX_GROUPS = [
  'source.toolkit.fluxcd.io',
  'kustomize.toolkit.fluxcd.io',
  'helm.toolkit.fluxcd.io',
  'notification.toolkit.fluxcd.io',
  'image.toolkit.fluxcd.io',
];

/** Bearer tokens, minted with TokenRequest, of ServiceAccounts in the `flux-orchestrator` namespace. */
export interface ServiceAccountTokens {
  /** May get, list and watch every Flux kind, and read Events: what a read-only portal needs. */
  viewer: string;
  /** The viewer's rights plus patch: what the portal needs for reconcile, suspend and resume. */
  operator: string;
  /** No RBAC at all: every Flux list is a 403. */
  noRights: string;
}

const NAMESPACE = 'flux-orchestrator';

export async function createServiceAccountTokens(
  adminKubeconfig: string,
): Promise<ServiceAccountTokens> {
  const k8s = await clientNode();
  const kc = await kubeConfigFrom(adminKubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });

  const readRules = [
    { apiGroups: FLUX_GROUPS, resources: ['*'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['events', 'namespaces'], verbs: ['get', 'list', 'watch'] },
  ];
  const roles = {
    viewer: readRules,
    operator: [...readRules, { apiGroups: FLUX_GROUPS, resources: ['*'], verbs: ['patch'] }],
    noRights: undefined,
  } as const;

  const tokens: Partial<ServiceAccountTokens> = {};
  for (const [user, rules] of Object.entries(roles) as [keyof ServiceAccountTokens, any][]) {
    const name = `flux-${user.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)}`;
    await core.createNamespacedServiceAccount({ namespace: NAMESPACE, body: { metadata: { name } } });
    if (rules) {
      await rbac.createClusterRole({ body: { metadata: { name }, rules } });
      await rbac.createClusterRoleBinding({
        body: {
          metadata: { name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
          subjects: [{ kind: 'ServiceAccount', name, namespace: NAMESPACE }],
        },
      });
    }
    const request = await core.createNamespacedServiceAccountToken({
      name,
      namespace: NAMESPACE,
      body: { spec: { expirationSeconds: 24 * 3600, audiences: [] } },
    });
    tokens[user] = request.status!.token;
  }
  return tokens as ServiceAccountTokens;
}
