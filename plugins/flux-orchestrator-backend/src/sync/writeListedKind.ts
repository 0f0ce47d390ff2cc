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
): Promise<ResourceWriteCounts & { listed: number }> {
  const objects = list.items.map(item => parseFluxObject(def, item, redaction));
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
