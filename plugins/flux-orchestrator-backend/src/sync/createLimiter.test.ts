import { createLimiter } from './createLimiter';

describe('createLimiter', () => {
  it('runs at most the given number at once, the rest in the order they came, and passes results and errors on', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (n: number) =>
      limit(async () => {
        started.push(n);
        running += 1;
        most = Math.max(most, running);
        await new Promise(resolve => setTimeout(resolve, 5));
        running -= 1;
        if (n === 3) throw new Error('three failed');
        return n * 10;
      });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(task));
    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(
      results.map(r =>
        r.status === 'fulfilled' ? r.value : (r.reason as Error).message,
      ),
    ).toEqual([10, 20, 'three failed', 40, 50]);
  });
});
