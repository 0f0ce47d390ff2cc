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
  const query = useMemo(
    () => readResourceSearchParams(new URLSearchParams(search)),
    [search],
  );
  const update = useCallback(
    (change: Partial<ResourceListQuery>) => {
      const next = changeResourceQuery(query, change);
      // Each filter, sort or page change is a history entry, so that Back undoes it. A search replaces the
      // entry instead: typing would otherwise leave one per pause. navigate rather than setSearchParams, which
      // would escape the commas of the lists.
      const typing = Object.keys(change).every(key => key === 'text');
      navigate(
        { search: formatResourceSearchParams(next) },
        { replace: typing },
      );
    },
    [query, navigate],
  );
  return [query, update];
}
