import { judgeTransition } from './judgeTransition';

const now = new Date('2026-12-03T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('judgeTransition', () => {
  it('takes the condition’s time of a change when it falls after the last write and is not in the future', () => {
    const previous = {
      status: 'ready' as const,
      writtenAt: at('2026-12-03T11:00:00Z'),
    };
    const judged = (conditionChangedAt?: string) =>
      judgeTransition(
        previous,
        { status: 'failing', conditionChangedAt },
        now,
      ).transition?.at.toISOString();
    expect(judged('2026-12-03T11:30:00Z')).toBe('2026-12-03T11:30:00.000Z');
    expect(judged('2026-12-03T10:59:59Z')).toBe(now.toISOString());
    // Condition times have whole seconds: one in the second of the last write may be after it.
    expect(
      judgeTransition(
        { status: 'ready', writtenAt: at('2026-12-03T11:00:00.700Z') },
        { status: 'failing', conditionChangedAt: '2026-12-03T11:00:00Z' },
        now,
      ).transition?.at.toISOString(),
    ).toBe('2026-12-03T11:00:00.000Z');
    // …but not before the status it ends began.
    expect(
      judgeTransition(
        {
          status: 'suspended',
          statusSince: at('2026-12-03T11:00:00.400Z'),
          writtenAt: at('2026-12-03T11:00:00.700Z'),
        },
        { status: 'ready', conditionChangedAt: '2026-12-03T11:00:00Z' },
        now,
      ).transition?.at.toISOString(),
    ).toBe('2026-12-03T11:00:00.400Z');
    expect(judged('2026-12-03T12:00:01Z')).toBe(now.toISOString());
    expect(judged('yesterday')).toBe(now.toISOString());
    expect(judged(undefined)).toBe(now.toISOString());
  });

  it('opens a failure once, carries it through progressing and suspended, and ends it at ready', () => {
    const start = at('2026-12-03T10:00:00Z');
    const written = at('2026-12-03T09:00:00Z');
    const opened = judgeTransition(
      { status: 'ready', writtenAt: written },
      { status: 'stalled', conditionChangedAt: start.toISOString() },
      now,
    );
    expect(opened).toEqual({
      failingSince: start,
      statusSince: start,
      transition: {
        from: 'ready',
        to: 'stalled',
        at: start,
        opensFailure: true,
        recoveryMs: undefined,
      },
    });
    for (const status of ['progressing', 'suspended', 'unknown'] as const) {
      const carried = judgeTransition(
        { status: 'failing', failingSince: start, writtenAt: written },
        { status },
        now,
      );
      expect(carried.failingSince).toEqual(start);
      expect(carried.transition?.opensFailure).toBe(false);
    }
    const again = judgeTransition(
      { status: 'progressing', failingSince: start, writtenAt: written },
      { status: 'failing' },
      now,
    );
    expect(again.transition?.opensFailure).toBe(false);
    expect(again.failingSince).toEqual(start);
    const recovered = judgeTransition(
      { status: 'progressing', failingSince: start, writtenAt: written },
      { status: 'ready' },
      now,
    );
    expect(recovered.failingSince).toBeUndefined();
    expect(recovered.transition?.recoveryMs).toBe(2 * 3_600_000);
  });

  it('records nothing when the status stays, but still keeps the failure and status starts', () => {
    const start = at('2026-12-03T10:00:00Z');
    const written = at('2026-12-03T11:00:00Z');
    expect(
      judgeTransition(
        {
          status: 'failing',
          failingSince: start,
          statusSince: start,
          writtenAt: written,
        },
        { status: 'failing' },
        now,
      ),
    ).toEqual({ failingSince: start, statusSince: start });
    // A row from before status starts were kept: since its last write, the best the store knows.
    expect(
      judgeTransition(
        { status: 'ready', writtenAt: written },
        { status: 'ready' },
        now,
      ),
    ).toEqual({ failingSince: undefined, statusSince: written });
  });

  it('records a first sight as a change from nothing, a failure if the object is failing', () => {
    const first = judgeTransition(
      undefined,
      { status: 'failing', conditionChangedAt: '2026-11-30T08:00:00Z' },
      now,
    );
    expect(first.transition).toMatchObject({
      from: undefined,
      to: 'failing',
      opensFailure: true,
    });
    expect(first.failingSince?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(
      judgeTransition(undefined, { status: 'ready' }, now).transition,
    ).toMatchObject({ to: 'ready', opensFailure: false, at: now });
  });
});
