import { judgeRevisionSince } from './judgeRevisionSince';

const now = new Date('2026-12-03T12:00:00Z');
const written = new Date('2026-12-03T11:55:00.400Z');

describe('judgeRevisionSince', () => {
  it('keeps the time of a revision that stays applied', () => {
    const since = new Date('2026-12-01T08:00:00Z');
    expect(
      judgeRevisionSince(
        { revision: 'a', revisionSince: since, writtenAt: written },
        { revision: 'a', changedAt: '2026-12-02T00:00:00Z' },
        now,
      ),
    ).toEqual(since);
  });

  it('dates a change by the object’s own history when that is after the old revision was last seen', () => {
    const previous = { revision: 'a', writtenAt: written };
    // In the second of the last write: Kubernetes times are to the second, so it can still be after it.
    expect(
      judgeRevisionSince(
        previous,
        { revision: 'b', changedAt: '2026-12-03T11:55:00Z' },
        now,
      ),
    ).toEqual(new Date('2026-12-03T11:55:00Z'));
    // Before it (an entry of an earlier rollout of the same revision) or in the future: when it was seen.
    expect(
      judgeRevisionSince(
        previous,
        { revision: 'b', changedAt: '2026-12-03T11:00:00Z' },
        now,
      ),
    ).toEqual(now);
    expect(
      judgeRevisionSince(
        previous,
        { revision: 'b', changedAt: '2026-12-03T13:00:00Z' },
        now,
      ),
    ).toEqual(now);
    expect(judgeRevisionSince(previous, { revision: 'b' }, now)).toEqual(now);
  });

  it('leaves undated a revision applied before the portal saw the object, unless its history tells', () => {
    expect(
      judgeRevisionSince(undefined, { revision: 'a' }, now),
    ).toBeUndefined();
    expect(
      judgeRevisionSince(
        undefined,
        { revision: 'a', changedAt: '2026-11-30T10:00:00Z' },
        now,
      ),
    ).toEqual(new Date('2026-11-30T10:00:00Z'));
    expect(
      judgeRevisionSince(
        { revision: 'a', writtenAt: written },
        { revision: 'a' },
        now,
      ),
    ).toBeUndefined();
  });

  it('has nothing to date without a revision', () => {
    expect(
      judgeRevisionSince({ revision: 'a', writtenAt: written }, {}, now),
    ).toBeUndefined();
  });
});
