import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { fluxOrchestratorApiRef } from './api/FluxOrchestratorApi';
import { FluxOrchestratorClient } from './api/FluxOrchestratorClient';
import { rootRouteRef } from './routes';

/** The Flux Orchestrator plugin for apps on the legacy frontend system. @public */
export const fluxOrchestratorPlugin = createPlugin({
  id: 'flux-orchestrator',
  apis: [
    createApiFactory({
      api: fluxOrchestratorApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new FluxOrchestratorClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The Flux pages, to mount under a route of a legacy app. @public */
export const FluxOrchestratorPage = fluxOrchestratorPlugin.provide(
  createRoutableExtension({
    name: 'FluxOrchestratorPage',
    component: () =>
      import('./pages/Overview/OverviewPage').then(m => m.OverviewPage),
    mountPoint: rootRouteRef,
  }),
);
