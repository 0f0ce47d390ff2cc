import { FluxKindDefinition } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { FluxStore, ResourceWriteCounts } from '../database/FluxStore';
import { KubernetesObject, parseFluxObject } from '../status/parseFluxObject';
import { RedactionOptions } from '../status/redactFluxObject';

/**
 * Makes the store hold what one list of a kind returned, in one transaction: the full sync and a watch's relist
 * both write a listed kind this way. Rows a watch stored after the list was taken stay (the list's version).
 */
export async function writeListedKind(
  store: FluxStore,
  cluster: string,
  def: FluxKindDefinition,
  list: { items: KubernetesObject[]; resourceVersion: string },
  redaction: RedactionOptions,
  onSkipped: (message: string) => void,
): Promise<ResourceWriteCounts & { listed: number }> {
  // One object the parser refuses must not keep the kind's others out of the store: it is left out and told.
  const objects = list.items.flatMap(item => {
    try {
      return [parseFluxObject(def, item, redaction)];
    } catch (error) {
      onSkipped(
        `skipped a ${def.kind} it could not read: ${(error as Error).message}`,
      );
      return [];
    }
  });
  const written = await store.replaceClusterResources(
    cluster,
    objects,
    [def.kind],
    new Date(),
    {
      [def.kind]: list.resourceVersion,
    },
  );
  return { ...written, listed: objects.length };
}
