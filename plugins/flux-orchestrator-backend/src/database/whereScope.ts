import { Knex } from 'knex';
import { LabelRequirement } from '../entities/labelSelector';
import { ClusterFact, ClusterScope, isEverything, isNothing, ResourceFact, ResourceScope, Scope, simplifyScope } from '../permissions/Scope';

/** The tables that hold facts of Flux objects: the objects themselves, and their counts (without labels). */
export type ResourceTable = 'flux_resources' | 'flux_resource_counts';

const CLUSTER_COLUMNS = { name: 'clusters.name', source: 'clusters.source' } as const;

type AddFact<T> = (builder: Knex.QueryBuilder, fact: T) => void;

function addScope<T>(builder: Knex.QueryBuilder, scope: Scope<T>, addFact: AddFact<T>) {
  const s = scope as { allOf?: Scope<T>[]; anyOf?: Scope<T>[]; not?: Scope<T> };
  if (s.allOf) {
    for (const part of s.allOf) builder.where(inner => addScope(inner, part, addFact));
  } else if (s.anyOf) {
    for (const part of s.anyOf) builder.orWhere(inner => addScope(inner, part, addFact));
  } else if (s.not) {
    const negated = s.not;
    builder.whereNot(inner => addScope(inner, negated, addFact));
  } else {
    addFact(builder, scope as T);
  }
}

/** Restricts `query` to a scope; nothing matches the empty scope, and everything the full one. */
function whereScope<T extends ResourceFact | ClusterFact>(query: Knex.QueryBuilder, scope: Scope<T>, addFact: AddFact<T>) {
  const simple = simplifyScope(scope);
  if (isEverything(simple)) return query;
  if (isNothing(simple)) return query.whereRaw('1 = 0');
  return query.where(builder => addScope(builder, simple, addFact));
}

/**
 * One label requirement as a subquery on the label rows, with Kubernetes' meaning: `!=` and `notin` also match
 * objects without the key.
 */
function addLabelRequirement(db: Knex, builder: Knex.QueryBuilder, requirement: LabelRequirement) {
  const withKey = (values?: string[]) => {
    const rows = db('flux_resource_labels').select('resource_id').where('key', requirement.key);
    return values ? rows.whereIn('value', values) : rows;
  };
  switch (requirement.operator) {
    case 'equals':
      builder.whereIn('flux_resources.id', withKey([requirement.value]));
      break;
    case 'notEquals':
      builder.whereNotIn('flux_resources.id', withKey([requirement.value]));
      break;
    case 'in':
      builder.whereIn('flux_resources.id', withKey(requirement.values));
      break;
    case 'notIn':
      builder.whereNotIn('flux_resources.id', withKey(requirement.values));
      break;
    case 'exists':
      builder.whereIn('flux_resources.id', withKey());
      break;
    case 'doesNotExist':
      builder.whereNotIn('flux_resources.id', withKey());
      break;
    default:
      throw new Error(`Unknown label operator in ${JSON.stringify(requirement)}`);
  }
}

/**
 * Restricts a query on `flux_resources` (or on their counts) to the objects of a scope. The counts know no
 * labels: a scope with label requirements is for the objects' table only.
 */
export function whereResourceScope(
  db: Knex,
  query: Knex.QueryBuilder,
  scope: ResourceScope,
  table: ResourceTable = 'flux_resources',
) {
  return whereScope<ResourceFact>(query, scope, (builder, fact) => {
    if ('values' in fact) {
      builder.whereIn(`${table}.${fact.field}`, fact.values);
    } else if (table === 'flux_resources') {
      for (const requirement of fact.labels) addLabelRequirement(db, builder, requirement);
    } else {
      throw new Error(`The table ${table} has no labels to select by`);
    }
  });
}

/** Restricts a query on `clusters` to the clusters of a scope. */
export function whereClusterScope(query: Knex.QueryBuilder, scope: ClusterScope) {
  return whereScope<ClusterFact>(query, scope, (builder, fact) => {
    builder.whereIn(CLUSTER_COLUMNS[fact.field], fact.values);
  });
}
