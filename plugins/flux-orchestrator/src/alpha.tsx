import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { fluxOrchestratorApiRef } from './api/FluxOrchestratorApi';
import { FluxOrchestratorClient } from './api/FluxOrchestratorClient';
import { rootRouteRef } from './routes';

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
    loader: () =>
      import('./pages/Overview/OverviewPage').then(m => <m.OverviewPage />),
  },
});

/** The Flux Orchestrator plugin for the new frontend system. @public */
export default createFrontendPlugin({
  pluginId: 'flux-orchestrator',
  extensions: [fluxOrchestratorApi, fluxPage],
  routes: { root: rootRouteRef },
});
