import { DependencyList, useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  FluxSignal,
  listRelevance,
  Relevance,
  useFluxRefresh,
} from './useFluxRefresh';

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return (
    a.length === b.length &&
    a.every((value, index) => Object.is(value, b[index]))
  );
}

/**
 * Loads data and reloads it when the backend signals a change (or the fallback poll fires). The previous
 * value stays while a reload runs, so a refresh does not blank the page, and it stays when a reload fails:
 * `error` is then set beside `value`, and the caller shows a warning over the data it already had.
 */
export function useLiveAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: {
    relevant?: (signal: FluxSignal) => Relevance;
    /** Changing it reloads at once, as a signal would: for a page that knows it just changed the data. */
    reloadKey?: number;
    /** For a list: its rows, so that a change of a row shown reloads at once and others later (listRelevance). */
    rows?: (value: T) => Array<{ uid: string }>;
  } = {},
) {
  // useAsyncRetry drops the value on a failed load. Keep the last one loaded, with the deps it was loaded for:
  // after a failed reload for other deps (another filter) it would show the wrong list.
  const last = useRef<{ deps: DependencyList; value: T }>();
  const state = useAsyncRetry(async () => {
    const value = await load();
    last.current = { deps, value };
    return value;
  }, deps);
  const shown = useRef<Array<{ uid: string }>>();
  const { rows } = options;
  const relevant =
    options.relevant ??
    (rows
      ? (signal: FluxSignal) => listRelevance(shown.current)(signal)
      : undefined);
  useFluxRefresh(state.retry, { relevant });

  const { retry } = state;
  const reloadKey = useRef(options.reloadKey);
  useEffect(() => {
    if (reloadKey.current === options.reloadKey) return;
    reloadKey.current = options.reloadKey;
    retry();
  }, [options.reloadKey, retry]);

  const kept =
    last.current && sameDeps(last.current.deps, deps)
      ? last.current.value
      : undefined;
  const value = state.value ?? kept;
  shown.current = value !== undefined && rows ? rows(value) : undefined;
  return { ...state, value };
}
