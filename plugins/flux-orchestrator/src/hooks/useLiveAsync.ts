import { DependencyList } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { FluxSignal, useFluxRefresh } from './useFluxRefresh';

/**
 * Loads data and reloads it when the backend signals a change (or the fallback poll fires). The previous
 * value stays while a reload runs, so a refresh does not blank the page.
 */
export function useLiveAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: { relevant?: (signal: FluxSignal) => boolean } = {},
) {
  const state = useAsyncRetry(load, deps);
  useFluxRefresh(state.retry, options);
  return state;
}
