/**
 * Types, permissions and the Flux kind table shared by the Flux Orchestrator plugins.
 *
 * @packageDocumentation
 */
export * from './fluxKinds';
export * from './permissions';
export * from './types';
export * from './clusterSources';
export * from './resourceIds';
export * from './entityAnnotations';
export * from './signals';
export * from './durations';
export * from './fluxApiLifecycle';
export * from './rollouts';
