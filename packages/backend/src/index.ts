import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider for local development; see app-config.production.yaml for real providers.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// Read for everyone, cluster changes and Flux actions for the flux-operators group (examples/org.yaml).
backend.add(import('./fluxPermissionPolicy'));

backend.add(import('@backstage/plugin-signals-backend'));
// Flux tells the owners of an object's entities of its failures and recoveries (fluxOrchestrator.notifications).
backend.add(import('@backstage/plugin-notifications-backend'));

backend.add(
  import('@flux-orchestrator/backstage-plugin-flux-orchestrator-backend'),
);

backend.start();
