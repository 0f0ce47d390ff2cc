import { ChangeBatcher } from './ChangeBatcher';

describe('ChangeBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands on the ids of a burst once per interval and cluster', () => {
    const flushed: Array<[string, string[] | undefined]> = [];
    const batcher = new ChangeBatcher(1000, (cluster, ids) =>
      flushed.push([cluster, ids]),
    );
    batcher.add('dev', ['dev:Kustomization:apps:a']);
    batcher.add('dev', [
      'dev:Kustomization:apps:b',
      'dev:Kustomization:apps:a',
    ]);
    batcher.add('prod', ['prod:HelmRelease:apps:c']);
    jest.advanceTimersByTime(999);
    expect(flushed).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(flushed).toEqual([
      ['dev', ['dev:Kustomization:apps:a', 'dev:Kustomization:apps:b']],
      ['prod', ['prod:HelmRelease:apps:c']],
    ]);
    batcher.add('dev', ['dev:Kustomization:apps:c']);
    jest.advanceTimersByTime(1000);
    expect(flushed[2]).toEqual(['dev', ['dev:Kustomization:apps:c']]);
  });

  it('says "anything may have changed" when one change of the batch had no ids', () => {
    const flushed: Array<[string, string[] | undefined]> = [];
    const batcher = new ChangeBatcher(500, (cluster, ids) =>
      flushed.push([cluster, ids]),
    );
    batcher.add('dev', ['dev:Kustomization:apps:a']);
    batcher.add('dev');
    batcher.add('dev', ['dev:Kustomization:apps:b']);
    jest.advanceTimersByTime(500);
    expect(flushed).toEqual([['dev', undefined]]);
  });
});
