// Use with tsx for any Node entry point that imports src/engine/backend.ts:
//   node --import tsx --import ./src/engine/node/register-tfjs.mjs scripts/train.ts
import { register } from 'node:module';

register('./tfjs-esm-hooks.mjs', import.meta.url);
