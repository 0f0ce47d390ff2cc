/**
 * Flux Orchestrator: the Flux console for Backstage. The default export is the plugin for the new frontend
 * system; the named exports serve apps on the legacy system.
 *
 * @packageDocumentation
 */
export { default } from './alpha';
export {
  fluxOrchestratorPlugin,
  FluxOrchestratorPage,
  EntityFluxContent,
  EntityFluxCard,
} from './plugin';
export { isFluxEntity } from './entity/fluxAnnotations';
export { fluxOrchestratorApiRef } from './api/FluxOrchestratorApi';
export type { FluxOrchestratorApi } from './api/FluxOrchestratorApi';
export { FluxOrchestratorClient } from './api/FluxOrchestratorClient';
