import { failingRedis, podinfo, stalledInfra } from '../__testUtils__/fluxFixtures';
import { applyResourceQuery } from './applyResourceQuery';

const items = [podinfo, failingRedis('prod'), failingRedis('dev'), stalledInfra];
const page = { limit: 50, offset: 0 };
const names = (query: Parameters<typeof applyResourceQuery>[1]) =>
  applyResourceQuery(items, query).items.map(r => `${r.cluster}/${r.name}`);

describe('applyResourceQuery', () => {
  it('puts the worst status first by default', () => {
    expect(names(page)).toEqual(['prod/infra', 'dev/redis', 'prod/redis', 'dev/podinfo']);
  });

  it.each([
    ['status', { status: ['failing' as const] }, ['dev/redis', 'prod/redis']],
    ['cluster and kind together', { cluster: ['prod'], kind: ['HelmRelease' as const] }, ['prod/redis']],
    ['text in the message, ignoring case', { text: 'DEADLINE' }, ['dev/redis', 'prod/redis']],
    ['namespace', { namespace: ['flux-system'] }, ['prod/infra']],
    ['not suspended', { suspended: false, kind: ['Kustomization' as const] }, ['prod/infra', 'dev/podinfo']],
  ])('filters by %s', (_, filter, expected) => {
    expect(names({ ...page, ...filter })).toEqual(expected);
  });

  it('sorts descending and pages, counting every match', () => {
    const result = applyResourceQuery(items, { sort: 'name', order: 'desc', limit: 2, offset: 1 });
    expect(result.items.map(r => r.name)).toEqual(['redis', 'podinfo']);
    expect(result.total).toBe(4);
  });
});
