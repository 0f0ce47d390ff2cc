import { ConfigReader } from '@backstage/config';
import { FluxResource } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { judgeStuck, readStuckThresholds, StuckThresholds } from './judgeStuck';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const MINUTE = 60_000;
const ago = (minutes: number) => new Date(NOW - minutes * MINUTE).toISOString();

const thresholds: StuckThresholds = {
  progressingIntervals: 5,
  unhandledRequestMs: 10 * MINUTE,
  artifactAgeIntervals: 24,
  suspendedMs: 7 * 24 * 60 * MINUTE,
};

function resource(fields: Partial<FluxResource>): FluxResource {
  return {
    id: 'dev:Kustomization:apps:podinfo',
    cluster: 'dev',
    kind: 'Kustomization',
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    namespace: 'apps',
    name: 'podinfo',
    uid: 'u',
    status: 'ready',
    ready: 'True',
    suspended: false,
    labels: {},
    syncedAt: ago(0),
    intervalMs: 10 * MINUTE,
    ...fields,
  };
}

describe('judgeStuck', () => {
  it('judges an object progressing for longer than five intervals stuck, saying for how long', () => {
    expect(
      judgeStuck(
        resource({ status: 'progressing', statusSince: ago(49) }),
        thresholds,
        NOW,
      ),
    ).toEqual([]);
    expect(
      judgeStuck(
        resource({ status: 'progressing', statusSince: ago(200) }),
        thresholds,
        NOW,
      ),
    ).toEqual([
      {
        reason: 'progressing',
        since: ago(200),
        message: 'Progressing for 3 h 20 min, 20 times its interval of 10 min',
      },
    ]);
    // Without an interval (a kind that has none) there is nothing to measure by.
    expect(
      judgeStuck(
        resource({
          status: 'progressing',
          statusSince: ago(200),
          intervalMs: undefined,
        }),
        thresholds,
        NOW,
      ),
    ).toEqual([]);
  });

  it('judges a reconcile request Flux has not handled after the bound, unless the object is suspended', () => {
    const waiting = resource({ reconcileRequestedAt: ago(12) });
    expect(judgeStuck(waiting, thresholds, NOW)).toEqual([
      {
        reason: 'request-unhandled',
        since: ago(12),
        message:
          'A reconcile was requested 12 min ago and Flux has not handled it',
      },
    ]);
    expect(
      judgeStuck(resource({ reconcileRequestedAt: ago(9) }), thresholds, NOW),
    ).toEqual([]);
    expect(
      judgeStuck({ ...waiting, suspended: true }, thresholds, NOW),
    ).toEqual([]);
  });

  it('judges a source by the age of its artifact, and only a source', () => {
    const source = resource({
      kind: 'GitRepository',
      intervalMs: MINUTE,
      artifactUpdatedAt: ago(25),
    });
    expect(judgeStuck(source, thresholds, NOW)).toEqual([
      {
        reason: 'stale-artifact',
        since: ago(25),
        message:
          'Its artifact last changed 25 min ago, 25 times its interval of 1 min',
      },
    ]);
    expect(
      judgeStuck({ ...source, kind: 'Kustomization' }, thresholds, NOW),
    ).toEqual([]);
    expect(
      judgeStuck(source, { ...thresholds, artifactAgeIntervals: 0 }, NOW),
    ).toEqual([]);
  });

  it('judges an object suspended for longer than the bound, and every judgement that holds', () => {
    const paused = resource({
      status: 'suspended',
      suspended: true,
      statusSince: ago(8 * 24 * 60),
      reconcileRequestedAt: ago(60),
    });
    expect(judgeStuck(paused, thresholds, NOW)).toEqual([
      {
        reason: 'suspended',
        since: ago(8 * 24 * 60),
        message: 'Suspended for 8 d',
      },
    ]);
    expect(judgeStuck(paused, { ...thresholds, suspendedMs: 0 }, NOW)).toEqual(
      [],
    );
    // Suspended with an end still to come: meant to last, and the portal resumes it then.
    expect(
      judgeStuck(
        { ...paused, suspension: { reason: 'freeze', until: ago(-60) } },
        thresholds,
        NOW,
      ),
    ).toEqual([]);
    expect(
      judgeStuck(
        { ...paused, suspension: { reason: 'freeze', until: ago(60) } },
        thresholds,
        NOW,
      ).map(r => r.reason),
    ).toEqual(['suspended']);
    const both = resource({
      status: 'progressing',
      statusSince: ago(60),
      reconcileRequestedAt: ago(60),
    });
    expect(judgeStuck(both, thresholds, NOW).map(r => r.reason)).toEqual([
      'progressing',
      'request-unhandled',
    ]);
  });
});

describe('readStuckThresholds', () => {
  it('reads the defaults, durations in either form, and refuses a negative multiple', () => {
    expect(readStuckThresholds(new ConfigReader({}))).toEqual(
      defaultThresholds(),
    );
    expect(
      readStuckThresholds(
        new ConfigReader({
          fluxOrchestrator: {
            stuck: {
              progressingIntervals: 2.5,
              unhandledRequestAfter: '2m',
              suspendedFor: { hours: 1 },
              artifactAgeIntervals: 48,
            },
          },
        }),
      ),
    ).toEqual({
      progressingIntervals: 2.5,
      unhandledRequestMs: 2 * MINUTE,
      artifactAgeIntervals: 48,
      suspendedMs: 60 * MINUTE,
    });
    expect(() =>
      readStuckThresholds(
        new ConfigReader({
          fluxOrchestrator: { stuck: { progressingIntervals: -1 } },
        }),
      ),
    ).toThrow(
      'fluxOrchestrator.stuck.progressingIntervals: must be a number of intervals, 0 or more (0 turns the judgement off), got -1',
    );
  });
});

function defaultThresholds(): StuckThresholds {
  return {
    progressingIntervals: 5,
    unhandledRequestMs: 10 * MINUTE,
    artifactAgeIntervals: 0,
    suspendedMs: 7 * 24 * 60 * MINUTE,
  };
}
