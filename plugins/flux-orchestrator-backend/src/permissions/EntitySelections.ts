import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityFluxSelector,
  FLUX_ENTITY_ANNOTATIONS,
  readEntitySelector,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { toLabelRequirements } from '../entities/entitySelector';
import { matchesLabels } from '../entities/labelSelector';
import { normalizeEntityRef } from './normalizeEntityRef';
import { FluxResourceSubject } from './fluxResourceRules';
import { NOTHING, ResourceScope } from './Scope';

/** Entities a rule may draw on at most; a policy over more entities than this is cut there, with a warning. */
const MAX_ENTITIES = 5000;

const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
  'relations',
];

/**
 * The objects an entity's Flux tab shows, as a scope: its label selector (or kubernetes-id) and, when given, its
 * namespace. Throws InputError when the label selector annotation cannot be read.
 */
export function selectionOf(selector: EntityFluxSelector): ResourceScope {
  const facts: ResourceScope[] = [{ labels: toLabelRequirements(selector) }];
  if (selector.namespace)
    facts.push({ field: 'namespace', values: [selector.namespace] });
  return { allOf: facts };
}

/** Catalog filters for entities carrying any of the Kubernetes annotations (a list of filters is an OR). */
function annotatedEntities(extra: Record<string, string[]> = {}) {
  return Object.values(FLUX_ENTITY_ANNOTATIONS).map(annotation => ({
    ...extra,
    [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
  }));
}

/** What an entity's selector reads of an object. */
export interface SelectableObject {
  namespace: string;
  labels: Record<string, string>;
}

/** A catalog entity that selects Flux objects, its owners, and its test of an object. */
export interface EntityMatcher {
  entityRef: string;
  owners: string[];
  selector: EntityFluxSelector;
  selects(object: SelectableObject): boolean;
}

interface SelectingEntity {
  entityRef: string;
  owners: string[];
  selector: EntityFluxSelector;
}

/**
 * Answers the entity rules of the permission policy through the catalog, with the plugin's own credentials: which
 * objects belong to given entities, or to entities owned by given users and groups. The policy decides who may
 * see what; the reader's own view of the catalog does not narrow it.
 */
export class EntitySelections {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  private async entities(
    request: {
      filter?: ReturnType<typeof annotatedEntities>;
      entityRefs?: string[];
    },
    caller?: BackstageCredentials,
  ) {
    const credentials =
      caller ?? (await this.options.auth.getOwnServiceCredentials());
    const { catalog } = this.options;
    const items: (Entity | null | undefined)[] = request.entityRefs
      ? (
          await catalog.getEntitiesByRefs(
            { entityRefs: request.entityRefs, fields: FIELDS },
            { credentials },
          )
        ).items
      : (
          await catalog.getEntities(
            { filter: request.filter, fields: FIELDS, limit: MAX_ENTITIES + 1 },
            { credentials },
          )
        ).items;
    if (items.length > MAX_ENTITIES) {
      this.options.logger.warn(
        `More than ${MAX_ENTITIES} catalog entities matched a Flux permission rule or select Flux objects; only the first ${MAX_ENTITIES} are used`,
      );
    }
    const selecting: SelectingEntity[] = [];
    for (const entity of items.slice(0, MAX_ENTITIES)) {
      const selector =
        entity && readEntitySelector(entity.metadata.annotations);
      if (!entity || !selector) continue;
      selecting.push({
        entityRef: normalizeEntityRef(stringifyEntityRef(entity)),
        owners: (entity.relations ?? [])
          .filter(r => r.type === 'ownedBy')
          .map(r => normalizeEntityRef(r.targetRef)),
        selector,
      });
    }
    return selecting;
  }

  /** The union of the entities' selections; an entity whose label selector cannot be read selects nothing. */
  private union(entities: SelectingEntity[]): ResourceScope {
    const parts: ResourceScope[] = [];
    for (const entity of entities) {
      try {
        parts.push(selectionOf(entity.selector));
      } catch {
        // Its own Flux tab says why (400); for a policy it simply adds nothing.
      }
    }
    return parts.length ? { anyOf: parts } : NOTHING;
  }

  /** The objects the given entities select. */
  async ofEntities(entityRefs: string[]): Promise<ResourceScope> {
    if (!entityRefs.length) return NOTHING;
    return this.union(await this.entities({ entityRefs }));
  }

  /** The objects selected by entities that one of the claims owns. */
  async ofOwners(claims: string[]): Promise<ResourceScope> {
    if (!claims.length) return NOTHING;
    return this.union(
      await this.entities({
        filter: annotatedEntities({ 'relations.ownedBy': claims }),
      }),
    );
  }

  /**
   * The entities that select objects, each with a test of whether it selects a loaded object: as the plugin sees
   * the catalog, or as `caller` does (what a reader is shown). An entity whose selector cannot be read selects
   * nothing.
   */
  async matchers(caller?: BackstageCredentials): Promise<EntityMatcher[]> {
    const entities = await this.entities(
      { filter: annotatedEntities() },
      caller,
    );
    return entities.flatMap(entity => {
      try {
        const requirements = toLabelRequirements(entity.selector);
        const namespace = entity.selector.namespace;
        return [
          {
            entityRef: entity.entityRef,
            owners: entity.owners,
            selector: entity.selector,
            selects: (r: SelectableObject) =>
              (!namespace || r.namespace === namespace) &&
              matchesLabels(requirements, r.labels),
          },
        ];
      } catch {
        return [];
      }
    });
  }

  /** Each object with the entities that select it, for deciding on loaded objects one by one. */
  async subjectsOf(
    resources: FluxResourceSubject['resource'][],
  ): Promise<FluxResourceSubject[]> {
    if (!resources.length) return [];
    const matchers = await this.matchers();
    return resources.map(resource => ({
      resource,
      entities: matchers
        .filter(m => m.selects(resource))
        .map(({ entityRef, owners }) => ({ entityRef, owners })),
    }));
  }
}
