/**
 * The Flux Orchestrator backend plugin.
 *
 * @packageDocumentation
 */
export { fluxOrchestratorPlugin as default } from './plugin';
export {
  fluxResourceConditions,
  createFluxResourceConditionalDecision,
  fluxResourcePermissionResourceRef,
  fluxResourcePermissionRules,
} from './permissions/fluxResourceRules';
export type {
  FluxResourceSubject,
  FluxResourceQuery,
} from './permissions/fluxResourceRules';
export {
  fluxClusterConditions,
  createFluxClusterConditionalDecision,
  fluxClusterPermissionResourceRef,
  fluxClusterPermissionRules,
} from './permissions/fluxClusterRules';
export type { FluxClusterSubject } from './permissions/fluxClusterRules';
export type { FluxClusterQuery, FluxResourceFact } from './permissions/Scope';
export type { LabelRequirement } from './entities/labelSelector';
