import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import {
  changeResourceQuery,
  formatResourceSearchParams,
  readResourceSearchParams,
  ResourceListQuery,
} from '../components/resourceSearchParams';

/** The resource list query kept in the URL, and a setter that writes changes back to it. */
export function useResourceListQuery(): [
  ResourceListQuery,
  (change: Partial<ResourceListQuery>) => void,
] {
  const { search } = useLocation();
  const navigate = useNavigate();
  const query = useMemo(() => readResourceSearchParams(new URLSearchParams(search)), [search]);
  const update = useCallback(
    (change: Partial<ResourceListQuery>) => {
      const next = changeResourceQuery(query, change);
      // navigate rather than setSearchParams, which would escape the commas of the lists. Replace rather than
      // push: typing a search should not leave one history entry per keystroke.
      navigate({ search: formatResourceSearchParams(next) }, { replace: true });
    },
    [query, navigate],
  );
  return [query, update];
}
