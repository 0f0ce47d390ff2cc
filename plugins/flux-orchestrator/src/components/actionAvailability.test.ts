import { fluxResource } from '../__testUtils__/fluxFixtures';
import { actionTargets, actionUnavailableReason } from './actionAvailability';

const kustomization = fluxResource({
  cluster: 'dev',
  kind: 'Kustomization',
  namespace: 'apps',
  name: 'podinfo',
  sourceRef: { kind: 'GitRepository', name: 'podinfo' },
});
const suspended = {
  ...kustomization,
  id: 'dev:Kustomization:apps:frozen',
  name: 'frozen',
  suspended: true,
  status: 'suspended' as const,
};
const policy = fluxResource({
  cluster: 'dev',
  kind: 'ImagePolicy',
  namespace: 'apps',
  name: 'podinfo',
});

describe('actionUnavailableReason', () => {
  it('names the missing permission before anything else', () => {
    expect(
      actionUnavailableReason(
        'reconcile',
        [kustomization],
        'You do not have the permission flux-orchestrator.resource.reconcile',
      ),
    ).toBe(
      'You do not have the permission flux-orchestrator.resource.reconcile',
    );
  });

  it.each([
    ['suspend', [policy], 'A ImagePolicy cannot be suspended'],
    ['suspend', [suspended], 'Already suspended'],
    ['resume', [kustomization], 'Not suspended'],
    ['reconcileWithSource', [policy], 'A ImagePolicy has no source reference'],
    ['reconcile', [], 'Select objects first'],
    [
      'suspend',
      [policy, suspended],
      'None of the selected objects can be suspended',
    ],
    ['force', [kustomization], 'Only HelmReleases can be forced'],
    ['reset', [kustomization], 'Only HelmReleases can be reset'],
    [
      'force',
      [kustomization, policy],
      'None of the selected objects is a HelmRelease',
    ],
  ] as const)('refuses %s on %#', (action, resources, reason) => {
    expect(actionUnavailableReason(action, [...resources], undefined)).toBe(
      reason,
    );
  });

  it('allows an action that applies to part of a selection', () => {
    expect(
      actionUnavailableReason('resume', [kustomization, suspended], undefined),
    ).toBeUndefined();
  });
});

describe('actionTargets', () => {
  it('suspends only what can be and is not yet suspended', () => {
    expect(
      actionTargets('suspend', [kustomization, suspended, policy]).map(
        r => r.name,
      ),
    ).toEqual(['podinfo']);
  });

  it('forces and resets only the HelmReleases of a selection', () => {
    const release = fluxResource({
      cluster: 'dev',
      kind: 'HelmRelease',
      namespace: 'apps',
      name: 'redis',
    });
    expect(
      actionTargets('force', [kustomization, release, policy]).map(r => r.id),
    ).toEqual([release.id]);
    expect(
      actionTargets('reset', [kustomization, release]).map(r => r.id),
    ).toEqual([release.id]);
  });
});
