import { helmReleaseHistory, kustomizationHistory } from './fluxHistory';

describe('the history Flux keeps in status.history', () => {
  it('reads helm-controller’s releases, newest first, keeping only values of the expected types', () => {
    const object = {
      status: {
        history: [
          {
            action: 'upgrade',
            apiVersion: 'v2',
            appVersion: '6.9.2',
            chartName: 'podinfo',
            chartVersion: '6.9.2',
            digest: 'sha256:0dbc',
            firstDeployed: '2026-12-03T10:18:30Z',
            lastDeployed: '2026-12-03T10:18:30Z',
            status: 'deployed',
            version: 2,
          },
          { chartName: { $gt: '' }, version: '3', status: ['failed'] },
          null,
        ],
      },
    };
    expect(helmReleaseHistory(object)).toEqual([
      {
        version: 2,
        action: 'upgrade',
        chartName: 'podinfo',
        chartVersion: '6.9.2',
        appVersion: '6.9.2',
        status: 'deployed',
        firstDeployed: '2026-12-03T10:18:30Z',
        lastDeployed: '2026-12-03T10:18:30Z',
      },
      {
        version: undefined,
        action: undefined,
        chartName: undefined,
        chartVersion: undefined,
        appVersion: undefined,
        status: undefined,
        firstDeployed: undefined,
        lastDeployed: undefined,
      },
    ]);
    expect(helmReleaseHistory({ status: { history: 'none' } })).toEqual([]);
    expect(helmReleaseHistory({})).toEqual([]);
  });

  it('reads kustomize-controller’s revisions as the real controller writes them', () => {
    // As kustomize-controller of Flux 2.9 wrote it on the demo fleet.
    const object = {
      status: {
        history: [
          {
            digest: 'sha256:d4c25e8d',
            firstReconciled: '2026-12-03T10:18:21Z',
            lastReconciled: '2026-12-03T10:28:21Z',
            lastReconciledDuration: '1.256334055s',
            lastReconciledStatus: 'ReconciliationSucceeded',
            metadata: {
              originRevision: 'main@sha1:c39b92fe',
              revision: 'latest@sha256:c2e6523a',
            },
            totalReconciliations: 2,
          },
        ],
      },
    };
    expect(kustomizationHistory(object)).toEqual([
      {
        revision: 'latest@sha256:c2e6523a',
        originRevision: 'main@sha1:c39b92fe',
        status: 'ReconciliationSucceeded',
        firstReconciled: '2026-12-03T10:18:21Z',
        lastReconciled: '2026-12-03T10:28:21Z',
        lastDuration: '1.256334055s',
        totalReconciliations: 2,
        digest: 'sha256:d4c25e8d',
      },
    ]);
    expect(
      kustomizationHistory({
        status: { history: [{ metadata: 'x', totalReconciliations: 1.5 }] },
      }),
    ).toEqual([
      {
        revision: undefined,
        originRevision: undefined,
        status: undefined,
        firstReconciled: undefined,
        lastReconciled: undefined,
        lastDuration: undefined,
        totalReconciliations: undefined,
        digest: undefined,
      },
    ]);
  });
});
