import {
  FLUX_KINDS,
  FluxKind,
  getFluxKind,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { fluxObject, FixtureState } from '../__testUtils__/fluxObjects';
import { judgeStatus, parseFluxObject } from './parseFluxObject';

const parse = (kind: FluxKind, version: string, state: FixtureState) =>
  parseFluxObject(getFluxKind(kind)!, fluxObject(kind, version, state));

const expectedStatus: Record<FixtureState, string> = {
  ready: 'ready',
  failing: 'failing',
  progressing: 'progressing',
  reconciling: 'progressing',
  stalled: 'stalled',
  suspended: 'suspended',
  unknown: 'unknown',
};

describe('parseFluxObject', () => {
  it.each([
    [
      'an empty name',
      { name: '' },
      'metadata.name must be a string of at most 253 characters, not empty',
    ],
    [
      'a name of 254 characters',
      { name: 'a'.repeat(254) },
      'metadata.name must be a string of at most 253 characters, not empty',
    ],
    [
      'a namespace of 64 characters',
      { namespace: 'n'.repeat(64) },
      'metadata.namespace must be a string of at most 63 characters',
    ],
    [
      'a uid of 65 characters',
      { uid: 'u'.repeat(65) },
      'metadata.uid must be a string of at most 64 characters',
    ],
    [
      'a resourceVersion that is a number',
      { resourceVersion: 7 },
      'metadata.resourceVersion must be a string of at most 64 characters',
    ],
  ])(
    'refuses an object with %s, which no API server gives',
    (_, metadata, message) => {
      const obj = fluxObject('Kustomization', 'v1', 'ready');
      obj.metadata = { ...obj.metadata, ...(metadata as object) };
      expect(() => parseFluxObject(getFluxKind('Kustomization')!, obj)).toThrow(
        message,
      );
    },
  );

  // Every kind, at its current and its oldest supported version (Flux 2.9 and Flux 2.4-era), in every state.
  const cases = FLUX_KINDS.flatMap(def =>
    [def.versions[0], def.versions[def.versions.length - 1]].flatMap(version =>
      (Object.keys(expectedStatus) as FixtureState[]).map(state => ({
        kind: def.kind,
        version,
        state,
        isStatic: def.staticVersions?.includes(version) ?? false,
      })),
    ),
  );

  it.each(cases)(
    'judges a $state $kind $version',
    ({ kind, version, state, isStatic }) => {
      const parsed = parse(kind, version, state);
      const expected =
        isStatic && state !== 'suspended' ? 'ready' : expectedStatus[state];
      expect(parsed.status).toBe(expected);
      expect(parsed.apiVersion).toBe(`${getFluxKind(kind)!.group}/${version}`);
      expect(parsed.suspended).toBe(state === 'suspended');
    },
  );

  it('keeps the Ready condition reason and message of a failing Kustomization', () => {
    const parsed = parse('Kustomization', 'v1', 'failing');
    expect(parsed.ready).toBe('False');
    expect(parsed.reason).toBe('BuildFailed');
    expect(parsed.message).toContain('kustomize build failed');
  });

  it('marks a Kustomization progressing when generation is ahead of observedGeneration', () => {
    const parsed = parse('Kustomization', 'v1', 'progressing');
    expect(parsed.generation).toBe(3);
    expect(parsed.observedGeneration).toBe(2);
    expect(parsed.status).toBe('progressing');
    expect(parsed.ready).toBe('True');
  });

  it('treats Ready=False as failing even while Reconciling=True retries it', () => {
    expect(parse('GitRepository', 'v1', 'failing').status).toBe('failing');
  });

  it('lets Stalled win over Ready=False', () => {
    expect(parse('Kustomization', 'v1beta2', 'stalled').reason).toBe(
      'InvalidPath',
    );
    expect(parse('Kustomization', 'v1beta2', 'stalled').status).toBe('stalled');
  });

  it('reads the applied revision of a Kustomization and hides an equal attempted revision', () => {
    const parsed = parse('Kustomization', 'v1', 'ready');
    expect(parsed.revision).toBe(
      'main@sha1:8f3a1c2b9d4e5f60718293a4b5c6d7e8f9012345',
    );
    expect(parsed.attemptedRevision).toBeUndefined();
  });

  it('reports the attempted revision when it differs from the applied one', () => {
    const obj = fluxObject('Kustomization', 'v1', 'failing');
    obj.status!.lastAttemptedRevision = 'main@sha1:ffffffff';
    const parsed = parseFluxObject(getFluxKind('Kustomization')!, obj);
    expect(parsed.revision).toContain('8f3a1c2b');
    expect(parsed.attemptedRevision).toBe('main@sha1:ffffffff');
  });

  it('reads a v2 HelmRelease revision from the deployed history entry', () => {
    expect(parse('HelmRelease', 'v2', 'ready').revision).toBe('6.7.1');
  });

  it('reads no applied revision of a HelmRelease whose install failed, and the deployed one after a failed upgrade', () => {
    // History as helm-controller v1.6 writes it, newest first.
    const release = (history: object[]) => {
      const obj = fluxObject('HelmRelease', 'v2', 'failing');
      obj.status = { ...obj.status, lastAttemptedRevision: '19.6.4', history };
      return parseFluxObject(getFluxKind('HelmRelease')!, obj);
    };
    const failedInstall = release([
      {
        chartName: 'redis',
        chartVersion: '19.6.4',
        status: 'failed',
        version: 1,
      },
    ]);
    expect(failedInstall).toMatchObject({
      revision: undefined,
      attemptedRevision: '19.6.4',
    });
    const failedUpgrade = release([
      {
        chartName: 'redis',
        chartVersion: '19.6.4',
        status: 'failed',
        version: 2,
      },
      {
        chartName: 'redis',
        chartVersion: '19.5.0',
        status: 'deployed',
        version: 1,
      },
    ]);
    expect(failedUpgrade).toMatchObject({
      revision: '19.5.0',
      attemptedRevision: '19.6.4',
    });
  });

  it('reads a v2beta1 HelmRelease revision from lastAppliedRevision', () => {
    expect(parse('HelmRelease', 'v2beta1', 'ready').revision).toBe('6.5.0');
  });

  it('reads the artifact revision of sources', () => {
    expect(parse('OCIRepository', 'v1beta2', 'ready').revision).toBe(
      'latest@sha256:4f1a2b3c',
    );
    expect(parse('HelmChart', 'v1', 'ready').revision).toBe('6.7.1');
  });

  it('reads the latest image of an ImagePolicy on both API generations', () => {
    expect(parse('ImagePolicy', 'v1', 'ready').revision).toBe(
      'ghcr.io/example/podinfo:6.7.1',
    );
    expect(parse('ImagePolicy', 'v1beta2', 'ready').revision).toBe(
      'ghcr.io/example/podinfo:6.7.1',
    );
  });

  it('finds the source of a Kustomization, a HelmRelease chart, an ImagePolicy and an Alert', () => {
    expect(parse('Kustomization', 'v1', 'ready').sourceRef).toEqual({
      kind: 'GitRepository',
      name: 'fleet',
      namespace: 'flux-system',
    });
    expect(parse('HelmRelease', 'v2', 'ready').sourceRef).toEqual({
      kind: 'HelmRepository',
      name: 'podinfo',
      namespace: 'flux-system',
    });
    expect(parse('ImagePolicy', 'v1', 'ready').sourceRef?.kind).toBe(
      'ImageRepository',
    );
    expect(parse('Alert', 'v1beta3', 'ready').sourceRef?.kind).toBe('Provider');
  });

  it('prefers a HelmRelease chartRef over the chart template', () => {
    const obj = fluxObject('HelmRelease', 'v2', 'ready', 'podinfo', 'apps');
    obj.spec!.chartRef = { kind: 'OCIRepository', name: 'podinfo-chart' };
    delete obj.spec!.chart;
    expect(parseFluxObject(getFluxKind('HelmRelease')!, obj).sourceRef).toEqual(
      {
        kind: 'OCIRepository',
        name: 'podinfo-chart',
        namespace: 'apps',
      },
    );
  });

  it('takes the newest of Ready transition, artifact update and handled request as last reconcile', () => {
    const obj = fluxObject('GitRepository', 'v1', 'ready');
    expect(
      parseFluxObject(getFluxKind('GitRepository')!, obj).lastReconcileAt,
    ).toBe('2026-11-20T10:05:00.000Z');
    obj.status!.lastHandledReconcileAt = '2026-11-21T08:00:00Z';
    const parsed = parseFluxObject(getFluxKind('GitRepository')!, obj);
    expect(parsed.lastReconcileAt).toBe('2026-11-21T08:00:00.000Z');
    expect(parsed.lastHandledReconcileAt).toBe('2026-11-21T08:00:00Z');
  });

  it('drops managedFields and keeps the rest of the object', () => {
    const parsed = parse('Kustomization', 'v1', 'ready');
    expect(parsed.object.metadata).not.toHaveProperty('managedFields');
    expect(parsed.object.spec?.path).toBe('./apps/podinfo');
    expect(parsed.labels).toEqual({ 'app.kubernetes.io/part-of': 'fleet' });
  });

  it('reports an object no controller has reported on as unknown, despite the CRD default observedGeneration -1', () => {
    const obj = fluxObject('HelmRelease', 'v2', 'unknown');
    obj.status = { observedGeneration: -1 };
    expect(parseFluxObject(getFluxKind('HelmRelease')!, obj).status).toBe(
      'unknown',
    );
  });

  it('reports an object without status as unknown', () => {
    const parsed = parse('Kustomization', 'v1', 'unknown');
    expect(parsed.status).toBe('unknown');
    expect(parsed.ready).toBe('Unknown');
    expect(parsed.reason).toBeUndefined();
  });

  it('shows a static v1beta3 Alert as ready, but a v1beta2 Alert by its conditions', () => {
    expect(parse('Alert', 'v1beta3', 'failing').status).toBe('ready');
    expect(parse('Alert', 'v1beta2', 'failing').status).toBe('failing');
  });
});

describe('judgeStatus', () => {
  it('judges a suspended object suspended whatever its stale conditions say', () => {
    const obj = fluxObject('Kustomization', 'v1', 'failing');
    obj.spec!.suspend = true;
    expect(judgeStatus(obj)).toBe('suspended');
  });

  it('reads who suspended an object, why and until when from its annotations, keeping only what is sound', () => {
    const obj = fluxObject(
      'Kustomization',
      'v1',
      'suspended',
      'apps',
      'flux-system',
    );
    obj.metadata!.annotations = {
      'flux-orchestrator/suspended-by': 'user:default/alice',
      'flux-orchestrator/suspend-reason': `  ${'x'.repeat(600)}`,
      'flux-orchestrator/suspended-until': '2026-12-24T18:00:00Z',
      'flux-orchestrator/suspended-at': 'last tuesday',
    };
    const parsed = parseFluxObject(getFluxKind('Kustomization')!, obj);
    expect(parsed.suspension).toEqual({
      by: 'user:default/alice',
      reason: 'x'.repeat(500),
      until: '2026-12-24T18:00:00.000Z',
      at: undefined,
    });
    // Resumed by hand with the annotations left behind: not suspended, so no suspension.
    obj.spec!.suspend = false;
    expect(
      parseFluxObject(getFluxKind('Kustomization')!, obj).suspension,
    ).toBeUndefined();
  });

  it('tells a reconcile request Flux has not handled, except on a version that has no status to answer in', () => {
    const token = '2026-12-03T10:00:00Z';
    const kustomization = fluxObject(
      'Kustomization',
      'v1',
      'ready',
      'apps',
      'flux-system',
    );
    kustomization.metadata!.annotations = {
      'reconcile.fluxcd.io/requestedAt': token,
    };
    expect(
      parseFluxObject(getFluxKind('Kustomization')!, kustomization)
        .pendingRequest,
    ).toBe(token);
    kustomization.status!.lastHandledReconcileAt = token;
    expect(
      parseFluxObject(getFluxKind('Kustomization')!, kustomization)
        .pendingRequest,
    ).toBeUndefined();
    const alert = fluxObject(
      'Alert',
      'v1beta3',
      'ready',
      'on-failure',
      'flux-system',
    );
    alert.metadata!.annotations = { 'reconcile.fluxcd.io/requestedAt': token };
    expect(
      parseFluxObject(getFluxKind('Alert')!, alert).pendingRequest,
    ).toBeUndefined();
  });
});
