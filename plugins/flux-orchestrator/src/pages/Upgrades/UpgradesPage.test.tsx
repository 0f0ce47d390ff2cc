import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  API,
  renderFlux,
  setupFluxServer,
} from '../../__testUtils__/renderFlux';

const server = setupFluxServer();

describe('UpgradesPage', () => {
  it('shows the fleet’s Flux versions and the objects at deprecated API versions, linked to their list', async () => {
    server.use(
      http.get(`${API}/upgrade-readiness`, () =>
        HttpResponse.json({
          fluxVersions: [
            { version: 'v2.9.5', clusters: ['dev', 'staging'] },
            { version: 'v2.4.0', clusters: ['prod'] },
          ],
          newestFluxVersion: 'v2.9.5',
          findings: [
            {
              cluster: 'prod',
              kind: 'HelmRelease',
              apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
              where: 'served',
              objects: 3,
              deprecatedIn: 'v2.2.0',
              removedIn: 'v2.7.0',
              replacedBy: 'v2',
            },
          ],
          objectsAtDeprecatedVersions: 0,
          objectsAtRemovedVersions: 3,
        }),
      ),
    );
    await renderFlux('/flux/upgrades');
    const versions = await screen.findAllByTestId('flux-version-row');
    expect(versions.map(r => r.textContent)).toEqual([
      'v2.9.5devstaging',
      'v2.4.0prod',
    ]);
    expect(
      screen.getByText('2 versions across 3 clusters; newest v2.9.5'),
    ).toBeInTheDocument();
    const [finding] = screen.getAllByTestId('deprecated-api-row');
    expect(finding).toHaveTextContent(
      'prodHelmReleasehelm.toolkit.fluxcd.io/v2beta1served by the cluster3v2.2.0v2.7.0v2',
    );
    expect(within(finding).getByRole('link', { name: '3' })).toHaveAttribute(
      'href',
      '/flux/resources?cluster=prod&kind=HelmRelease',
    );
    expect(screen.getByRole('tab', { name: 'Upgrades' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });
});
