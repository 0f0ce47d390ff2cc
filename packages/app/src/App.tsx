import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import fluxOrchestratorPlugin from '@flux-orchestrator/backstage-plugin-flux-orchestrator';
import { navModule } from './modules/nav';

export default createApp({
  features: [
    catalogPlugin,
    notificationsPlugin,
    orgPlugin,
    userSettingsPlugin,
    fluxOrchestratorPlugin,
    navModule,
  ],
});
