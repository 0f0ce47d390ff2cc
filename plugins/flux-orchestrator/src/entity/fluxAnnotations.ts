import { Entity } from '@backstage/catalog-model';
import { readEntitySelector } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

/**
 * Whether an entity selects Flux objects, and so gets the Flux tab and card: the backend's own reading.
 *
 * @public
 */
export function isFluxEntity(entity: Entity): boolean {
  return readEntitySelector(entity.metadata.annotations) !== undefined;
}
