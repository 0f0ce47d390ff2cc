import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { ReactNode } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import { FluxOrchestratorClient } from '../api/FluxOrchestratorClient';
import { FluxPage } from '../pages/FluxPage';
import { rootRouteRef } from '../routes';

/** Where the client sends requests in tests (the mock discovery API's URL for the plugin). */
export const API = 'http://example.com/api/flux-orchestrator';

/** An msw server for one test file, started and reset around its tests. */
export function setupFluxServer() {
  const server = setupServer();
  registerMswTestHooks(server);
  return server;
}

/** Shows the current location, so that tests can read what the page wrote to the URL, and goes back in history. */
function LocationProbe() {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <div data-testid="location">{`${location.pathname}${location.search}`}</div>
      <button type="button" onClick={() => navigate(-1)}>
        Browser back
      </button>
    </>
  );
}

/** A decision for every question, or one per question (permission and resource ref). */
export type TestPermission =
  | AuthorizeResult.ALLOW
  | AuthorizeResult.DENY
  | ((
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);

/** The real client against msw, and a permission API that answers as `permission` says (default: allow). */
export function FluxTestApis(props: {
  children: ReactNode;
  permission?: TestPermission;
}) {
  const client = new FluxOrchestratorClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: { fetch: (input, init) => globalThis.fetch(input, init) },
  });
  return (
    <TestApiProvider
      apis={[
        [fluxOrchestratorApiRef, client],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: props.permission ?? AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      {props.children}
    </TestApiProvider>
  );
}

/** Renders the Flux pages mounted at /flux, opened at `path`, as an app would. */
export function renderFlux(
  path: string,
  options: { permission?: TestPermission } = {},
) {
  return renderInTestApp(
    <FluxTestApis permission={options.permission}>
      <Routes>
        <Route path="/flux/*" element={<FluxPage />} />
      </Routes>
      <LocationProbe />
    </FluxTestApis>,
    { routeEntries: [path], mountedRoutes: { '/flux': rootRouteRef } },
  );
}
