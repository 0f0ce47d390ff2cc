import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Fleet } from '@internal/kube-harness';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterRegistry } from './clusters/ClusterRegistry';
import { DatabaseFluxStore } from './database/DatabaseFluxStore';
import { SOURCE_KINDS } from './history/judgeStuck';
import { EVERYTHING } from './permissions/Scope';
import { assembleRollouts, DEPLOYING_KINDS } from './rollouts/assembleRollouts';
import { ClusterSyncer } from './sync/ClusterSyncer';
import { startSeededCluster } from './__testUtils__/startSeededCluster';

// The rollout tracker end to end: two real API servers deploying the same Git repository and path, a rollout
// written as kustomize-controller writes it on one of them, and the rows the tracker makes of what the sync stored.
jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('rollouts across real API servers', () => {
  let fleet: Fleet;
  let store: DatabaseFluxStore;
  let registry: ClusterRegistry;
  let admins: Record<string, KubeConfig>;
  let k8s: typeof import('@kubernetes/client-node');
  let syncer: ClusterSyncer;

  beforeAll(async () => {
    ({ fleet, store, registry, admins, k8s } = await startSeededCluster(
      databases,
      ['east', 'west'],
      'viewer',
    ));
    syncer = new ClusterSyncer({
      store,
      registry,
      logger: mockServices.logger.mock(),
      clusterTimeoutMs: 30_000,
      concurrency: 2,
    });
    await syncer.syncCluster('east', 'manual');
    // Seen two seconds later: the time kept is the history's, not the sync's.
    await new Promise(resolve => setTimeout(resolve, 2_000));
    await syncer.syncCluster('west', 'manual');
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  const api = (cluster: string) =>
    admins[cluster].makeApiClient(k8s.CustomObjectsApi);
  const mergePatch = () =>
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

  async function rows() {
    return assembleRollouts(
      await store.listOriginRows(EVERYTHING, [...DEPLOYING_KINDS]),
      await store.listOriginRows(EVERYTHING, [...SOURCE_KINDS]),
    );
  }
  const infra = async () =>
    (await rows()).find(
      row => row.origin.path === 'infrastructure/controllers',
    )!;

  it('makes one row of a path both clusters deploy, and shows a rollout that reached one of them', async () => {
    const before = await infra();
    expect(before.origin).toEqual({
      sourceKind: 'GitRepository',
      url: 'git.example.com/platform/fleet',
      ref: 'branch main',
      path: 'infrastructure/controllers',
    });
    expect(before.clusters.map(c => c.cluster)).toEqual(['east', 'west']);
    expect(before.disagrees).toBe(false);

    // source-controller fetches a new commit on west, and kustomize-controller applies it: status and history,
    // as they write them.
    const next = 'main@sha1:2222222222222222222222222222222222222222';
    // After the portal last saw the old revision (else the history's time is not believed), to the second as
    // Kubernetes keeps it.
    const appliedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await api('west').patchNamespacedCustomObjectStatus(
      {
        group: 'kustomize.toolkit.fluxcd.io',
        version: 'v1',
        plural: 'kustomizations',
        namespace: 'flux-system',
        name: 'infra-controllers',
        body: {
          status: {
            lastAppliedRevision: next,
            lastAttemptedRevision: next,
            history: [
              {
                digest: 'sha256:0a0a',
                firstReconciled: appliedAt,
                lastReconciled: appliedAt,
                lastReconciledDuration: '1.2s',
                lastReconciledStatus: 'ReconciliationSucceeded',
                totalReconciliations: 1,
                metadata: { revision: next },
              },
            ],
          },
        },
      },
      mergePatch(),
    );
    await api('west').patchNamespacedCustomObjectStatus(
      {
        group: 'source.toolkit.fluxcd.io',
        version: 'v1',
        plural: 'gitrepositories',
        namespace: 'flux-system',
        name: 'fleet',
        body: {
          status: { artifact: { revision: next, lastUpdateTime: appliedAt } },
        },
      },
      mergePatch(),
    );
    // A person moves west's repository to SSH: the same repository, so the same row.
    await api('west').patchNamespacedCustomObject(
      {
        group: 'source.toolkit.fluxcd.io',
        version: 'v1',
        plural: 'gitrepositories',
        namespace: 'flux-system',
        name: 'fleet',
        body: { spec: { url: 'ssh://git@git.example.com/platform/fleet' } },
      },
      mergePatch(),
    );
    await syncer.syncCluster('west', 'manual');

    const after = await infra();
    expect(after.clusters.map(c => c.cluster)).toEqual(['east', 'west']);
    expect(after.disagrees).toBe(true);
    expect(after.revisions.map(r => r.revision).sort()).toEqual(
      [before.revisions[0].revision, next].sort(),
    );
    const west = after.clusters.find(c => c.cluster === 'west')!.objects[0];
    expect(west).toMatchObject({
      id: 'west:Kustomization:flux-system:infra-controllers',
      revision: next,
      revisionSince: new Date(appliedAt).toISOString(),
      sourceRevision: next,
    });
    // east's own source still offers what it applied: it is not behind its source, only behind west.
    const east = after.clusters.find(c => c.cluster === 'east')!.objects[0];
    expect(east.sourceRevision).toBe(east.revision);
  });
});
