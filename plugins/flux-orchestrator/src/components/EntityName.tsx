import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';

/**
 * A catalog entity by its short name (`redis`, `group:team-data`), linked to its page where the app has the
 * catalog's entity page; the plain name where it has not (the Flux page does not need the catalog).
 */
export function EntityName(props: { entityRef: string }) {
  const ref = parseEntityRef(props.entityRef);
  const name = humanizeEntityRef(ref, { defaultKind: 'component' });
  let entityRoute:
    | ((params: { kind: string; namespace: string; name: string }) => string)
    | undefined;
  try {
    // Throws where no entity page is mounted; called on every render all the same, so hooks keep their order.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    entityRoute = useRouteRef(entityRouteRef);
  } catch {
    entityRoute = undefined;
  }
  if (!entityRoute) return <>{name}</>;
  return (
    <Link
      to={entityRoute({
        kind: ref.kind.toLocaleLowerCase('en-US'),
        namespace: ref.namespace,
        name: ref.name,
      })}
    >
      {name}
    </Link>
  );
}
