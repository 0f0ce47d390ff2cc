import {
  FluxResource,
  formatResourceId,
  isFluxKind,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { dependsOnIds } from './dependsOn';
import { parseInventory } from './inventory';

/** Inventory entries drawn at most; the rest are one node that says how many. */
export const MAX_INVENTORY_NODES = 24;

/** How a node relates to the object the page shows. */
export type GraphRole =
  | 'self'
  | 'source'
  | 'dependency'
  | 'dependent'
  | 'inventory'
  | 'more';

export interface GraphNode {
  id: string;
  role: GraphRole;
  /** The kind and the name, one line each. */
  kind: string;
  name: string;
  /** The Flux object's id in the portal, when the node is one: the node links to it. */
  resourceId?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
}

const FLUX_GROUP = /\.toolkit\.fluxcd\.io$/;

function nodeOfId(resourceId: string, role: GraphRole): GraphNode {
  const [, kind, namespace, name] = resourceId.split(':');
  return {
    id: resourceId,
    role,
    kind,
    name: `${namespace}/${name}`,
    resourceId,
  };
}

/**
 * The object's neighbourhood as a graph: its source and what it depends on flow into it, and it flows into what
 * depends on it and into what it applied (its inventory; a Flux object among them, as in an app of apps, is the
 * same node as its Flux object and links to it). An object that is both a dependent and in the inventory is one
 * node with both edges.
 */
export function buildDependencyGraph(
  resource: FluxResource & { object: Record<string, unknown> },
  dependents: FluxResource[],
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const add = (node: GraphNode) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
    return node.id;
  };
  const self = add({ ...nodeOfId(resource.id, 'self') });
  const { cluster } = resource;
  if (resource.sourceRef) {
    const source = add(
      nodeOfId(
        formatResourceId({
          cluster,
          kind: resource.sourceRef.kind,
          namespace: resource.sourceRef.namespace ?? resource.namespace,
          name: resource.sourceRef.name,
        }),
        'source',
      ),
    );
    edges.push({ from: source, to: self, label: 'source' });
  }
  for (const id of dependsOnIds(resource, resource.object)) {
    edges.push({
      from: add(nodeOfId(id, 'dependency')),
      to: self,
      label: 'dependsOn',
    });
  }
  for (const dependent of dependents) {
    edges.push({
      from: self,
      to: add(nodeOfId(dependent.id, 'dependent')),
      label: 'dependsOn',
    });
  }
  const inventory = parseInventory(resource.object);
  for (const entry of inventory.slice(0, MAX_INVENTORY_NODES)) {
    const isFlux = FLUX_GROUP.test(entry.group) && isFluxKind(entry.kind);
    const id = isFlux
      ? formatResourceId({
          cluster,
          kind: entry.kind,
          namespace: entry.namespace,
          name: entry.name,
        })
      : `inventory:${entry.group}:${entry.kind}:${entry.namespace}:${entry.name}`;
    add({
      id,
      role: 'inventory',
      kind: entry.kind,
      name: entry.namespace ? `${entry.namespace}/${entry.name}` : entry.name,
      resourceId: isFlux ? id : undefined,
    });
    edges.push({ from: self, to: id, label: 'applied' });
  }
  if (inventory.length > MAX_INVENTORY_NODES) {
    const more = add({
      id: 'inventory:more',
      role: 'more',
      kind: `${inventory.length - MAX_INVENTORY_NODES} more`,
      name: 'in the inventory below',
    });
    edges.push({ from: self, to: more, label: 'applied' });
  }
  return { nodes: [...nodes.values()], edges };
}
