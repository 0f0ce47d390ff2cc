import {
  failingRedis,
  podinfo,
  stalledInfra,
  REDIS_MESSAGE,
} from '../../__testUtils__/fluxFixtures';
import { groupNeedsAttention } from './groupNeedsAttention';

describe('groupNeedsAttention', () => {
  it('makes one group of the same error on several clusters, naming the clusters', () => {
    const groups = groupNeedsAttention([
      failingRedis('prod'),
      failingRedis('dev'),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      status: 'failing',
      message: REDIS_MESSAGE,
      clusters: ['dev', 'prod'],
    });
    expect(groups[0].resources).toHaveLength(2);
  });

  it('dates a group by the object that has been failing longest', () => {
    const groups = groupNeedsAttention([
      { ...failingRedis('prod'), failingSince: '2026-12-01T10:00:00Z' },
      { ...failingRedis('dev'), failingSince: '2026-11-30T08:00:00Z' },
      { ...failingRedis('staging'), failingSince: undefined },
    ]);
    expect(groups[0].failingSince).toBe('2026-11-30T08:00:00Z');
    expect(groupNeedsAttention([failingRedis('dev')])[0].failingSince).toBe(
      failingRedis('dev').failingSince,
    );
  });

  it('puts stalled objects before failing ones, whatever their number', () => {
    const groups = groupNeedsAttention([
      failingRedis('dev'),
      failingRedis('prod'),
      stalledInfra,
    ]);
    expect(groups.map(g => g.status)).toEqual(['stalled', 'failing']);
  });

  it('leaves out objects that are ready, progressing or suspended', () => {
    expect(
      groupNeedsAttention([podinfo, { ...podinfo, status: 'suspended' }]),
    ).toEqual([]);
  });

  it('groups objects without a message by their reason', () => {
    const a = {
      ...failingRedis('dev'),
      message: undefined,
      reason: 'ArtifactFailed',
    };
    const b = {
      ...failingRedis('prod'),
      message: undefined,
      reason: 'ArtifactFailed',
    };
    expect(groupNeedsAttention([a, b])).toMatchObject([
      { message: 'ArtifactFailed', clusters: ['dev', 'prod'] },
    ]);
  });
});
