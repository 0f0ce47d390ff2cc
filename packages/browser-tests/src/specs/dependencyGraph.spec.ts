import { expect, resourcePath, test } from '../fixtures';

interface Detail {
  sourceRef?: { kind: string; name: string; namespace?: string };
  object: { status?: { inventory?: { entries?: unknown[] } } };
}

test.describe('dependency graph', () => {
  test('draws a Kustomization’s source, dependency and applied objects, and its Flux nodes lead to their pages', async ({
    page,
    visit,
    capture,
    fluxApi,
  }) => {
    test.setTimeout(150_000);
    // dev's apps Kustomization, reconciled by the real kustomize-controller: it depends on infra-controllers and
    // applies what ./apps/production of the demo repository holds.
    const id = 'dev:Kustomization:flux-system:apps';
    const read = () =>
      fluxApi.get<Detail>(`/resources/${encodeURIComponent(id)}`);
    const appliedOf = (detail: Detail) =>
      detail.object.status?.inventory?.entries?.length ?? 0;
    // Right after the demo fleet starts, the controller may not have applied it yet.
    await expect
      .poll(async () => appliedOf(await read()), { timeout: 90_000 })
      .toBeGreaterThan(0);
    const detail = await read();
    const applied = appliedOf(detail);

    await visit(resourcePath(id));
    const graph = page.getByTestId('dependency-graph');
    const nodes = graph.getByTestId('graph-node');
    await expect(nodes.and(page.locator('[data-role="self"]'))).toHaveCount(1);
    await expect(
      nodes.and(page.locator('[data-role="dependency"]')),
    ).toContainText('flux-system/infra-controllers');
    await expect(
      nodes.and(page.locator('[data-role="inventory"]')),
    ).toHaveCount(Math.min(applied, 24));
    const source = nodes.and(page.locator('[data-role="source"]'));
    await expect(source).toContainText(`GitRepository · source`);
    await graph.scrollIntoViewIfNeeded();
    await capture('dependency-graph', graph);

    await source.click();
    await expect(page).toHaveURL(
      new RegExp(
        `/flux/resources/${encodeURIComponent(
          `dev:GitRepository:flux-system:${detail.sourceRef!.name}`,
        )}$`,
      ),
    );
  });
});
