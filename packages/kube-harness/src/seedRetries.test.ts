import { retrying } from './seed';

const failure = (code: number) =>
  Object.assign(new Error(`HTTP ${code}`), { code });

describe('retrying', () => {
  it('calls again after a 504 or 429, and reads back what a timed-out create made', async () => {
    const answers = [failure(504), failure(429), 'made'];
    expect(
      await retrying(async () => {
        const next = answers.shift();
        if (next instanceof Error) throw next;
        return next;
      }),
    ).toBe('made');

    const conflictAfterTimeout = [failure(504), failure(409)];
    expect(
      await retrying(
        async () => {
          throw conflictAfterTimeout.shift();
        },
        async () => 'read back',
      ),
    ).toBe('read back');
  });

  it('gives up on what a retry cannot change, and after four attempts', async () => {
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls++;
          throw failure(409);
        },
        async () => 'never',
      ),
    ).rejects.toThrow('HTTP 409');
    expect(calls).toBe(1);

    calls = 0;
    await expect(
      retrying(async () => {
        calls++;
        throw failure(503);
      }),
    ).rejects.toThrow('HTTP 503');
    expect(calls).toBe(4);
  });
});
