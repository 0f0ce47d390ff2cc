import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { failingRedis } from '../__testUtils__/fluxFixtures';
import { FluxTestApis } from '../__testUtils__/renderFlux';
import { ActionButtons } from './ActionButtons';
import { ActionReports } from './ActionReports';

// usePermission caches decisions per test file, so every test here runs with permissions denied.
describe('ActionButtons without permission', () => {
  it('disables every action and names the missing permission on hover', async () => {
    await renderInTestApp(
      <FluxTestApis permission={AuthorizeResult.DENY}>
        <ActionReports>
          <ActionButtons mode="detail" resources={[failingRedis('dev')]} />
        </ActionReports>
      </FluxTestApis>,
    );
    const reconcile = await screen.findByRole('button', { name: 'Reconcile' });
    await screen.findByRole('button', { name: 'Suspend' });
    expect(reconcile).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Reconcile with source' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Suspend' })).toBeDisabled();

    await userEvent.hover(reconcile.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You do not have the permission flux-orchestrator.resource.reconcile',
    );
    await userEvent.unhover(reconcile.parentElement!);
    await userEvent.hover(screen.getByRole('button', { name: 'Suspend' }).parentElement!);
    expect(await screen.findByText('You do not have the permission flux-orchestrator.resource.suspend')).toBeInTheDocument();
  });
});
