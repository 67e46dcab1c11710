// Our kernels read private fields of tfjs-backend-wasm (heap.ts) and mirror tfjs kernel
// signatures as of one release. Another release may move those fields silently, so the
// engine refuses to start with a version the kernels were not checked against.
import { version_core } from '@tensorflow/tfjs-core';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';

export const TFJS_VERSION_CHECKED = '4.22.0';

export interface TfjsVersions {
  core: string;
  wasm: string;
}

/** The sentence to throw, or null when the versions are the ones the kernels were written for. */
export function tfjsVersionProblem(installed: TfjsVersions): string | null {
  if (installed.core === TFJS_VERSION_CHECKED && installed.wasm === TFJS_VERSION_CHECKED) return null;
  return (
    `The engine's replacement kernels (src/engine/kernels/) were written for tfjs ${TFJS_VERSION_CHECKED}, ` +
    `but @tensorflow/tfjs-core ${installed.core} and @tensorflow/tfjs-backend-wasm ${installed.wasm} are installed. ` +
    `Install tfjs ${TFJS_VERSION_CHECKED} (npm ci), or check the kernels against the new version and update TFJS_VERSION_CHECKED.`
  );
}

export function assertTfjsVersion(installed: TfjsVersions = { core: version_core, wasm: version_wasm }): void {
  const problem = tfjsVersionProblem(installed);
  if (problem !== null) throw new Error(problem);
}
