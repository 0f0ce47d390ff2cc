import { ResourceActionResult } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { FluxOrchestratorApi } from './FluxOrchestratorApi';
import { runResourceAction } from './runResourceAction';

const ids = Array.from(
  { length: 230 },
  (_, i) => `dev:Kustomization:apps:app-${i}`,
);

/** An API whose reconcile answers each batch with `answer(batchNumber, ids)`. */
function apiAnswering(
  answer: (batch: number, ids: string[]) => Promise<ResourceActionResult[]>,
) {
  const batches: string[][] = [];
  const api = {
    reconcile: async (batchIds: string[]) => {
      batches.push(batchIds);
      return { results: await answer(batches.length - 1, batchIds) };
    },
  } as unknown as FluxOrchestratorApi;
  return { api, batches };
}

const requested = (batchIds: string[]) =>
  batchIds.map(id => ({
    id,
    action: 'reconcile' as const,
    ok: true,
    requestedAt: '2026-05-04T10:00:00.000Z',
    handled: false,
  }));

describe('runResourceAction', () => {
  it('sends at most 100 ids per request and returns one result per id', async () => {
    const { api, batches } = apiAnswering(async (_, batchIds) =>
      requested(batchIds),
    );
    const results = await runResourceAction(api, 'reconcile', ids);
    expect(batches.map(b => b.length)).toEqual([100, 100, 30]);
    expect(results.map(r => r.id)).toEqual(ids);
  });

  it('fails only the ids of a batch whose request failed, keeping what the other batches did', async () => {
    const { api } = apiAnswering(async (batch, batchIds) => {
      if (batch === 1) throw new Error('connect ECONNREFUSED 10.0.0.5:7007');
      return requested(batchIds);
    });
    const results = await runResourceAction(api, 'reconcile', ids);
    expect(results).toHaveLength(230);
    expect(results.slice(0, 100).every(r => r.ok)).toBe(true);
    expect(results.slice(100, 200)).toEqual(
      ids.slice(100, 200).map(id => ({
        id,
        action: 'reconcile',
        ok: false,
        error: 'connect ECONNREFUSED 10.0.0.5:7007',
      })),
    );
    expect(results.slice(200).every(r => r.ok)).toBe(true);
  });
});
