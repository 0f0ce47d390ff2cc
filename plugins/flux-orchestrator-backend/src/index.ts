/**
 * The Flux Orchestrator backend plugin.
 *
 * @packageDocumentation
 */
export { fluxOrchestratorPlugin as default } from './plugin';
