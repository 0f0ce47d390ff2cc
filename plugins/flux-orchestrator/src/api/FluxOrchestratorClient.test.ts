import { toQueryString } from './FluxOrchestratorClient';

describe('toQueryString', () => {
  it('joins lists with commas and drops empty values', () => {
    expect(
      toQueryString({ kind: ['Kustomization', 'HelmRelease'], status: [], text: '', suspended: false, limit: 50 }),
    ).toBe('?kind=Kustomization%2CHelmRelease&suspended=false&limit=50');
  });

  it('is empty for an empty query', () => {
    expect(toQueryString({})).toBe('');
  });
});
