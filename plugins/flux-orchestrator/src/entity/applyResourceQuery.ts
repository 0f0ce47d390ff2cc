import { FluxResource, Page, ResourceSortField } from '@internal/plugin-flux-orchestrator-common';
import { ResourceListQuery } from '../components/resourceSearchParams';

const STATUS_ORDER = ['stalled', 'failing', 'progressing', 'unknown', 'suspended', 'ready'];

function compare(field: ResourceSortField, a: FluxResource, b: FluxResource): number {
  switch (field) {
    case 'status':
      return STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status);
    case 'lastReconcileAt':
      return (a.lastReconcileAt ?? '').localeCompare(b.lastReconcileAt ?? '');
    default:
      return a[field].localeCompare(b[field]);
  }
}

/**
 * Filters, sorts and pages a list already in the browser, with the meaning the backend gives the same query:
 * lists are ORs, fields AND together, text is a case-insensitive substring of name, namespace, reason, message
 * or revision. An entity has tens of objects, not thousands, so this is cheap.
 */
export function applyResourceQuery(items: FluxResource[], query: ResourceListQuery): Page<FluxResource> {
  const text = query.text?.toLowerCase();
  const matching = items.filter(
    r =>
      (!query.cluster || query.cluster.includes(r.cluster)) &&
      (!query.kind || query.kind.includes(r.kind)) &&
      (!query.namespace || query.namespace.includes(r.namespace)) &&
      (!query.status || query.status.includes(r.status)) &&
      (query.suspended === undefined || r.suspended === query.suspended) &&
      (!text ||
        [r.name, r.namespace, r.reason, r.message, r.revision].some(v => v?.toLowerCase().includes(text))),
  );
  const field = query.sort ?? 'status';
  const direction = query.order === 'desc' ? -1 : 1;
  const sorted = [...matching].sort(
    (a, b) => direction * compare(field, a, b) || a.name.localeCompare(b.name) || a.cluster.localeCompare(b.cluster),
  );
  return {
    items: sorted.slice(query.offset, query.offset + query.limit),
    total: sorted.length,
    limit: query.limit,
    offset: query.offset,
  };
}
