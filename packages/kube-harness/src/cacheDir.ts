import os from 'os';
import path from 'path';

/** Where built binaries and generated CRDs are kept between runs: outside the repository, keyed by version. */
export function cacheDir(...parts: string[]): string {
  const base =
    process.env.FLUX_CACHE_DIR ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
      'flux-orchestrator',
    );
  return path.join(base, ...parts);
}
