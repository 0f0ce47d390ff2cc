import { LabelRequirement } from '../entities/labelSelector';

/**
 * A boolean formula over facts the database holds: what a permission decision allows, in a form the store turns
 * into a WHERE clause. `{ allOf: [] }` is everything and `{ anyOf: [] }` is nothing.
 */
export type Scope<TLeaf> =
  | { allOf: Scope<TLeaf>[] }
  | { anyOf: Scope<TLeaf>[] }
  | { not: Scope<TLeaf> }
  | TLeaf;

/**
 * A fact of a Flux object: its cluster, namespace or kind is one of `values`, or its labels meet every requirement.
 *
 * @public
 */
export type FluxResourceFact =
  | { field: 'cluster' | 'namespace' | 'kind'; values: string[] }
  | { labels: LabelRequirement[] };

/**
 * A fact of a cluster, and what a cluster rule asks of the database: its name or its source is one of `values`.
 *
 * @public
 */
export type FluxClusterQuery = { field: 'name' | 'source'; values: string[] };

export type ResourceScope = Scope<FluxResourceFact>;
export type ClusterScope = Scope<FluxClusterQuery>;

export const EVERYTHING = { allOf: [] };
export const NOTHING = { anyOf: [] };

export function isEverything(scope: Scope<object>): boolean {
  return (
    'allOf' in scope && Array.isArray(scope.allOf) && scope.allOf.length === 0
  );
}

export function isNothing(scope: Scope<object>): boolean {
  return (
    'anyOf' in scope && Array.isArray(scope.anyOf) && scope.anyOf.length === 0
  );
}

type Fact = FluxResourceFact | FluxClusterQuery;

/** Both scopes at once. */
export function intersect<T extends Fact>(...scopes: Scope<T>[]): Scope<T> {
  return simplifyScope({ allOf: scopes });
}

/**
 * Folds the constants away, so that a scope is everything, nothing, or a formula without constants inside:
 * `not` of everything is nothing, an `anyOf` with everything in it is everything, and so on.
 */
export function simplifyScope<T extends Fact>(scope: Scope<T>): Scope<T> {
  if ('allOf' in scope) {
    const parts = scope.allOf
      .map(simplifyScope)
      .filter(part => !isEverything(part));
    if (parts.some(isNothing)) return NOTHING;
    return parts.length === 1 ? parts[0] : { allOf: parts };
  }
  if ('anyOf' in scope) {
    const parts = scope.anyOf
      .map(simplifyScope)
      .filter(part => !isNothing(part));
    if (parts.some(isEverything)) return EVERYTHING;
    return parts.length === 1 ? parts[0] : { anyOf: parts };
  }
  if ('not' in scope) {
    const inner = simplifyScope(scope.not);
    if (isEverything(inner)) return NOTHING;
    if (isNothing(inner)) return EVERYTHING;
    return { not: inner };
  }
  // A fact that no value can meet is nothing; labels without a requirement are met by every object.
  if ('values' in scope) return scope.values.length ? scope : NOTHING;
  return scope.labels.length ? scope : EVERYTHING;
}

/** Whether a scope selects objects by their labels anywhere in it. */
export function mentionsLabels(scope: ResourceScope): boolean {
  if ('allOf' in scope) return scope.allOf.some(mentionsLabels);
  if ('anyOf' in scope) return scope.anyOf.some(mentionsLabels);
  if ('not' in scope) return mentionsLabels(scope.not);
  return 'labels' in scope && scope.labels.length > 0;
}
