import {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { SUSPENSION_ANNOTATIONS } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import type { Fleet } from '@internal/kube-harness';
import type { KubeConfig } from '@kubernetes/client-node';
import { ResourceActions } from './actions/ResourceActions';
import { ClusterRegistry } from './clusters/ClusterRegistry';
import {
  EXPIRY_ACTOR,
  resumeExpiredSuspensions,
} from './actions/resumeExpiredSuspensions';
import { DatabaseFluxStore } from './database/DatabaseFluxStore';
import { EVERYTHING } from './permissions/Scope';
import { ClusterSyncer } from './sync/ClusterSyncer';
import { startSeededCluster } from './__testUtils__/startSeededCluster';

// Operator intent end to end: a suspension's who, why and until written to the object on a real API server (as
// kubectl shows them), and its end honoured by the task that resumes expired suspensions, audited.
jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

/** The audit events as an auditor records them: what was asked, and how it ended. */
function recordingAuditor() {
  const events: Array<{
    options: AuditorServiceCreateEventOptions;
    outcome?: 'success' | 'fail';
  }> = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const event: (typeof events)[number] = { options };
      events.push(event);
      return {
        async success() {
          event.outcome = 'success';
        },
        async fail() {
          event.outcome = 'fail';
        },
      };
    },
  };
  return { auditor, events };
}

describe('suspensions with a reason and an end, on a real API server', () => {
  let fleet: Fleet;
  let store: DatabaseFluxStore;
  let actions: ResourceActions;
  let admin: KubeConfig;
  let k8s: typeof import('@kubernetes/client-node');
  const { auditor, events } = recordingAuditor();
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    let registry: ClusterRegistry;
    ({ fleet, store, registry, admin, k8s } = await startSeededCluster(
      databases,
      'intent',
      'operator',
    ));
    await new ClusterSyncer({
      store,
      registry,
      logger,
      clusterTimeoutMs: 30_000,
      concurrency: 1,
    }).syncCluster('intent', 'manual');
    actions = new ResourceActions({
      store,
      registry,
      auditor,
      logger,
      timeoutMs: 15_000,
      // No controller runs here: a resume's reconcile request stays unhandled, which is not what is tested.
      handledWaitMs: 200,
    });
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  const live = async (name: string) =>
    (await admin.makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      plural: 'kustomizations',
      namespace: 'flux-system',
      name,
    })) as {
      metadata: { annotations?: Record<string, string> };
      spec: { suspend?: boolean };
    };
  const stored = (name: string) =>
    store.getResource(`intent:Kustomization:flux-system:${name}`, EVERYTHING);

  it('writes who, why and until to the object, and resumes it when the suspension ends, audited', async () => {
    const until = new Date(Date.now() + 2_000).toISOString();
    const [suspended] = await actions.run(
      'suspend',
      [(await stored('apps'))!],
      false,
      {
        actor: 'user:default/alice',
        suspension: { reason: 'Incident 4711: database failover', until },
      },
    );
    expect(suspended.ok).toBe(true);
    const object = await live('apps');
    expect(object.spec.suspend).toBe(true);
    expect(object.metadata.annotations).toMatchObject({
      [SUSPENSION_ANNOTATIONS.by]: 'user:default/alice',
      [SUSPENSION_ANNOTATIONS.reason]: 'Incident 4711: database failover',
      [SUSPENSION_ANNOTATIONS.until]: until,
    });
    expect((await stored('apps'))?.suspension).toMatchObject({
      by: 'user:default/alice',
      reason: 'Incident 4711: database failover',
      until,
    });
    // Not over yet: nothing to resume.
    expect(await resumeExpiredSuspensions({ store, actions, logger })).toEqual(
      [],
    );

    await new Promise(r => setTimeout(r, 2_200));
    const [resumed] = await resumeExpiredSuspensions({
      store,
      actions,
      logger,
    });
    expect(resumed).toMatchObject({
      id: 'intent:Kustomization:flux-system:apps',
      action: 'resume',
      ok: true,
    });
    const after = await live('apps');
    expect(after.spec.suspend).toBe(false);
    for (const key of Object.values(SUSPENSION_ANNOTATIONS))
      expect(after.metadata.annotations?.[key]).toBeUndefined();
    expect((await stored('apps'))?.suspension).toBeUndefined();

    const history = await store.listActions(
      'intent:Kustomization:flux-system:apps',
      10,
    );
    expect(
      history.map(a => [a.action, a.actor, a.reason ?? null, a.outcome]),
    ).toEqual([
      ['resume', EXPIRY_ACTOR, null, 'succeeded'],
      [
        'suspend',
        'user:default/alice',
        'Incident 4711: database failover',
        'succeeded',
      ],
    ]);
    expect(history[1].until).toBe(until);
    // Audited like a person's action: the same event, saying what started it.
    const resume = events.find(e => e.options.meta?.action === 'resume');
    expect(resume).toMatchObject({
      options: {
        eventId: 'resource-action',
        meta: {
          resourceId: 'intent:Kustomization:flux-system:apps',
          trigger: 'suspension-expired',
          actor: EXPIRY_ACTOR,
        },
      },
      outcome: 'success',
    });
  });

  it('leaves alone an object suspended again since the store read it', async () => {
    const until = new Date(Date.now() + 1_000).toISOString();
    await actions.run('suspend', [(await stored('tenants'))!], false, {
      actor: 'user:default/alice',
      suspension: { reason: 'maintenance', until },
    });
    // Someone extends the suspension with kubectl; the store has not seen it yet.
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await admin.makeApiClient(k8s.CustomObjectsApi).patchNamespacedCustomObject(
      {
        group: 'kustomize.toolkit.fluxcd.io',
        version: 'v1',
        plural: 'kustomizations',
        namespace: 'flux-system',
        name: 'tenants',
        body: {
          metadata: { annotations: { [SUSPENSION_ANNOTATIONS.until]: later } },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await new Promise(r => setTimeout(r, 1_200));
    const [result] = await resumeExpiredSuspensions({ store, actions, logger });
    expect(result).toMatchObject({ action: 'resume', ok: false });
    expect(result.error).toMatch(/409|Conflict|modified/i);
    const object = await live('tenants');
    expect(object.spec.suspend).toBe(true);
    expect(object.metadata.annotations?.[SUSPENSION_ANNOTATIONS.until]).toBe(
      later,
    );
  });
});
