import { mapWithConcurrency } from './mapWithConcurrency';

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps the input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapWithConcurrency(
      [30, 5, 20, 1, 10, 2],
      2,
      async ms => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise(r => setTimeout(r, ms));
        inFlight -= 1;
        return ms * 2;
      },
    );
    expect(peak).toBe(2);
    expect(results).toEqual([60, 10, 40, 2, 20, 4]);
  });

  it('lets the other items through while one holds its slot', async () => {
    const finished: string[] = [];
    await mapWithConcurrency(['slow', 'a', 'b', 'c'], 2, async name => {
      await new Promise(r => setTimeout(r, name === 'slow' ? 60 : 5));
      finished.push(name);
    });
    expect(finished).toEqual(['a', 'b', 'c', 'slow']);
  });

  it('handles an empty list', async () => {
    expect(await mapWithConcurrency([], 5, async x => x)).toEqual([]);
  });
});
