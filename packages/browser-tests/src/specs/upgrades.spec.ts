import { expect, test } from '../fixtures';

interface UpgradeReadiness {
  fluxVersions: Array<{ version: string; clusters: string[] }>;
  findings: Array<{
    cluster: string;
    kind: string;
    apiVersion: string;
    where: string;
    objects: number;
    removedIn?: string;
  }>;
}

test.describe('upgrade readiness', () => {
  test('shows each cluster’s Flux version and the objects the oldest one serves at API versions newer releases removed', async ({
    page,
    visit,
    capture,
    fluxApi,
  }) => {
    const readiness = await fluxApi.get<UpgradeReadiness>('/upgrade-readiness');
    // prod runs a Flux 2.4-era set of APIs: beta versions that later releases no longer serve.
    const prodServed = readiness.findings.filter(
      f => f.cluster === 'prod' && f.where === 'served',
    );
    expect(prodServed.length).toBeGreaterThan(0);
    for (const finding of prodServed)
      expect(finding.removedIn).toMatch(/^v2\.\d+\.0$/);
    // Its OCIRepositories and image objects, say, are served at v1beta2, which Flux 2.8 and 2.9 removed.
    const example = prodServed[0];
    expect(readiness.fluxVersions.flatMap(v => v.clusters).sort()).toEqual([
      'dev',
      'prod',
      'staging',
    ]);

    await visit('/flux/upgrades');
    await expect(page.getByTestId('flux-version-row')).toHaveCount(
      readiness.fluxVersions.length,
    );
    const rows = page.getByTestId('deprecated-api-row');
    await expect(rows).toHaveCount(readiness.findings.length);
    const row = rows
      .filter({ hasText: /^prod/ })
      .filter({ hasText: example.kind })
      .filter({ hasText: example.apiVersion })
      .filter({ hasText: 'served by the cluster' });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('link')).toHaveText(String(example.objects));
    await capture('upgrades');
  });
});
