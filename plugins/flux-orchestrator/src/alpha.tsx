import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { fluxOrchestratorApiRef } from './api/FluxOrchestratorApi';
import { FluxOrchestratorClient } from './api/FluxOrchestratorClient';
import { isFluxEntity } from './entity/fluxAnnotations';
import {
  clusterRouteRef,
  clustersRouteRef,
  resourceRouteRef,
  resourcesRouteRef,
  rootRouteRef,
} from './routes';

const fluxOrchestratorApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: fluxOrchestratorApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new FluxOrchestratorClient(deps),
    }),
});

const fluxPage = PageBlueprint.make({
  params: {
    path: '/flux',
    title: 'Flux',
    icon: <AccountTreeIcon />,
    routeRef: rootRouteRef,
    // The page draws its own header with the section tabs, the same one the legacy export shows.
    noHeader: true,
    loader: () => import('./pages/FluxPage').then(m => <m.FluxPage />),
  },
});

const entityFluxContent = EntityContentBlueprint.make({
  name: 'flux',
  params: {
    path: 'flux',
    title: 'Flux',
    filter: isFluxEntity,
    loader: () =>
      import('./entity/EntityFluxContent').then(m => <m.EntityFluxContent />),
  },
});

const entityFluxCard = EntityCardBlueprint.make({
  name: 'flux',
  params: {
    filter: isFluxEntity,
    // Its own objects, whatever its kind: a user or group with the annotations also gets the owned card below.
    loader: () =>
      import('./entity/EntityFluxCard').then(m => (
        <m.EntityFluxCard mode="selected" />
      )),
  },
});

/** On a user's or group's page: the Flux objects of the entities they own. */
const ownedFluxCard = EntityCardBlueprint.make({
  name: 'flux-owned',
  params: {
    filter: entity => ['user', 'group'].includes(entity.kind.toLowerCase()),
    loader: () =>
      import('./entity/EntityFluxCard').then(m => (
        <m.EntityFluxCard mode="owned" />
      )),
  },
});

/** The Flux Orchestrator plugin for the new frontend system. @public */
export default createFrontendPlugin({
  pluginId: 'flux-orchestrator',
  extensions: [
    fluxOrchestratorApi,
    fluxPage,
    entityFluxContent,
    entityFluxCard,
    ownedFluxCard,
  ],
  routes: {
    root: rootRouteRef,
    clusters: clustersRouteRef,
    cluster: clusterRouteRef,
    resources: resourcesRouteRef,
    resource: resourceRouteRef,
  },
});
