import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { fluxOrchestratorApiRef } from './api/FluxOrchestratorApi';
import { FluxOrchestratorClient } from './api/FluxOrchestratorClient';
import {
  clusterRouteRef,
  clustersRouteRef,
  resourceRouteRef,
  resourcesRouteRef,
  rootRouteRef,
} from './routes';

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
  routes: {
    root: rootRouteRef,
    clusters: clustersRouteRef,
    cluster: clusterRouteRef,
    resources: resourcesRouteRef,
    resource: resourceRouteRef,
  },
});

/** The Flux pages (overview, clusters, resources), to mount under a route of a legacy app. @public */
export const FluxOrchestratorPage: () => JSX.Element =
  fluxOrchestratorPlugin.provide(
    createRoutableExtension({
      name: 'FluxOrchestratorPage',
      component: () => import('./pages/FluxPage').then(m => m.FluxPage),
      mountPoint: rootRouteRef,
    }),
  );

/**
 * The Flux tab of an entity page. Show it for entities that `isFluxEntity` accepts.
 *
 * @public
 */
export const EntityFluxContent: () => JSX.Element =
  fluxOrchestratorPlugin.provide(
    createComponentExtension({
      name: 'EntityFluxContent',
      component: {
        lazy: () =>
          import('./entity/EntityFluxContent').then(m => m.EntityFluxContent),
      },
    }),
  );

/**
 * The Flux card of an entity's overview: counts by status and the failing objects. On a user's or group's page
 * (or with `mode="owned"`), those of the entities they own.
 *
 * @public
 */
export const EntityFluxCard: (props: {
  mode?: 'selected' | 'owned';
}) => JSX.Element = fluxOrchestratorPlugin.provide(
  createComponentExtension({
    name: 'EntityFluxCard',
    component: {
      lazy: () => import('./entity/EntityFluxCard').then(m => m.EntityFluxCard),
    },
  }),
);
