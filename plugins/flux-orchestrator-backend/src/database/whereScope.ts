import { Knex } from 'knex';
import { LabelRequirement } from '../entities/labelSelector';
import {
  FluxClusterQuery,
  ClusterScope,
  isEverything,
  isNothing,
  FluxResourceFact,
  ResourceScope,
  Scope,
  simplifyScope,
} from '../permissions/Scope';

/**
 * The tables that hold facts of Flux objects: the objects themselves, their counts (without labels), their
 * label rows (one per label, with the object's facts beside it), and their status changes.
 */
export type ResourceTable =
  | 'flux_resources'
  | 'flux_resource_counts'
  | 'flux_resource_labels'
  | 'flux_status_transitions';

const ID_COLUMNS = {
  flux_resources: 'flux_resources.id',
  flux_resource_labels: 'flux_resource_labels.resource_id',
  flux_status_transitions: 'flux_status_transitions.resource_id',
};

const CLUSTER_COLUMNS = {
  name: 'clusters.name',
  source: 'clusters.source',
} as const;

type AddFact<T> = (builder: Knex.QueryBuilder, fact: T) => void;

function addScope<T>(
  builder: Knex.QueryBuilder,
  scope: Scope<T>,
  addFact: AddFact<T>,
) {
  const s = scope as { allOf?: Scope<T>[]; anyOf?: Scope<T>[]; not?: Scope<T> };
  if (s.allOf) {
    for (const part of s.allOf)
      builder.where(inner => addScope(inner, part, addFact));
  } else if (s.anyOf) {
    for (const part of s.anyOf)
      builder.orWhere(inner => addScope(inner, part, addFact));
  } else if (s.not) {
    const negated = s.not;
    builder.whereNot(inner => addScope(inner, negated, addFact));
  } else {
    addFact(builder, scope as T);
  }
}

/** Restricts `query` to a scope; nothing matches the empty scope, and everything the full one. */
function whereScope<T extends FluxResourceFact | FluxClusterQuery>(
  query: Knex.QueryBuilder,
  scope: Scope<T>,
  addFact: AddFact<T>,
) {
  const simple = simplifyScope(scope);
  if (isEverything(simple)) return query;
  if (isNothing(simple)) return query.whereRaw('1 = 0');
  return query.where(builder => addScope(builder, simple, addFact));
}

/**
 * One label requirement as a subquery on the label rows, with Kubernetes' meaning: `!=` and `notin` also match
 * objects without the key.
 */
function addLabelRequirement(
  db: Knex,
  builder: Knex.QueryBuilder,
  requirement: LabelRequirement,
  idColumn: string,
) {
  const withKey = (values?: string[]) => {
    const rows = db('flux_resource_labels')
      .select('resource_id')
      .where('key', requirement.key);
    return values ? rows.whereIn('value', values) : rows;
  };
  switch (requirement.operator) {
    case 'equals':
      builder.whereIn(idColumn, withKey([requirement.value]));
      break;
    case 'notEquals':
      builder.whereNotIn(idColumn, withKey([requirement.value]));
      break;
    case 'in':
      builder.whereIn(idColumn, withKey(requirement.values));
      break;
    case 'notIn':
      builder.whereNotIn(idColumn, withKey(requirement.values));
      break;
    case 'exists':
      builder.whereIn(idColumn, withKey());
      break;
    case 'doesNotExist':
      builder.whereNotIn(idColumn, withKey());
      break;
    default:
      throw new Error(
        `Unknown label operator in ${JSON.stringify(requirement)}`,
      );
  }
}

/**
 * Restricts a query on `flux_resources` (or on their counts, or label rows) to the objects of a scope. The counts
 * know no labels: a scope with label requirements is not for them. `answered` is a requirement the query meets
 * already (see `labelRowsOf`).
 */
export function whereResourceScope(
  db: Knex,
  query: Knex.QueryBuilder,
  scope: ResourceScope,
  table: ResourceTable = 'flux_resources',
  answered?: LabelRequirement,
) {
  return whereScope<FluxResourceFact>(query, scope, (builder, fact) => {
    if ('values' in fact) {
      builder.whereIn(`${table}.${fact.field}`, fact.values);
    } else if (table !== 'flux_resource_counts') {
      for (const requirement of fact.labels) {
        if (requirement !== answered)
          addLabelRequirement(db, builder, requirement, ID_COLUMNS[table]);
      }
    } else {
      throw new Error(`The table ${table} has no labels to select by`);
    }
  });
}

/** A label every object of the scope must have (a requirement at the top of its conjunction), if there is one. */
function requiredLabelOf(scope: ResourceScope): LabelRequirement | undefined {
  if ('allOf' in scope) {
    for (const part of scope.allOf) {
      const required = requiredLabelOf(part);
      if (required) return required;
    }
    return undefined;
  }
  if ('labels' in scope)
    return scope.labels.find(
      r =>
        r.operator === 'equals' ||
        r.operator === 'in' ||
        r.operator === 'exists',
    );
  return undefined;
}

/**
 * The objects of a scope as label rows: the rows of a label every object of the scope has, one per object (an
 * object has one value per key), restricted to the scope. Label rows carry the object's cluster, namespace,
 * kind, status and suspension, so counts and facet filters need no object rows. Undefined when the scope does
 * not require a label of every object (one label or another, or only the absence of one).
 */
export function labelRowsOf(
  db: Knex,
  scope: ResourceScope,
): Knex.QueryBuilder | undefined {
  const simple = simplifyScope(scope);
  const required = requiredLabelOf(simple);
  if (!required) return undefined;
  const rows = db('flux_resource_labels').where(
    'flux_resource_labels.key',
    required.key,
  );
  if (required.operator === 'equals')
    rows.where('flux_resource_labels.value', required.value);
  if (required.operator === 'in')
    rows.whereIn('flux_resource_labels.value', required.values);
  return whereResourceScope(db, rows, simple, 'flux_resource_labels', required);
}

/** Restricts a query on `clusters` to the clusters of a scope. */
export function whereClusterScope(
  query: Knex.QueryBuilder,
  scope: ClusterScope,
) {
  return whereScope<FluxClusterQuery>(query, scope, (builder, fact) => {
    builder.whereIn(CLUSTER_COLUMNS[fact.field], fact.values);
  });
}
