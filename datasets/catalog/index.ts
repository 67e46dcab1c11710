// The whole catalog, in a fixed order: item ids are assigned in this order.
import { american19c } from './american-19c.ts';
import { american20c } from './american-20c.ts';
import { ancient } from './ancient.ts';
import { britishAdventure } from './british-adventure.ts';
import { britishModern } from './british-modern.ts';
import { britishNovels } from './british-novels.ts';
import { children } from './children.ts';
import { drama } from './drama.ts';
import { economicsReligion } from './economics-religion.ts';
import { european } from './european.ts';
import { french } from './french.ts';
import { gothic } from './gothic.ts';
import { historyWar } from './history-war.ts';
import { mystery } from './mystery.ts';
import { mythAndMedieval } from './myth-and-medieval.ts';
import { philosophy } from './philosophy.ts';
import { poetry } from './poetry.ts';
import { pulpAndSpeculative } from './pulp-and-speculative.ts';
import { russian } from './russian.ts';
import { science } from './science.ts';
import { travelMemoir } from './travel-memoir.ts';
import { trollopeScottGeorgians } from './trollope-scott-georgians.ts';
import type { CatalogWork } from './types.ts';
import { verneWells } from './verne-wells.ts';

export { GENRES, GENRE_LABELS } from './types.ts';
export type { CatalogWork, Genre, SeriesPosition } from './types.ts';

export const CATALOG: readonly CatalogWork[] = [
  ...britishNovels,
  ...trollopeScottGeorgians,
  ...britishAdventure,
  ...britishModern,
  ...mystery,
  ...verneWells,
  ...pulpAndSpeculative,
  ...gothic,
  ...american19c,
  ...american20c,
  ...french,
  ...russian,
  ...european,
  ...children,
  ...drama,
  ...poetry,
  ...ancient,
  ...mythAndMedieval,
  ...philosophy,
  ...economicsReligion,
  ...science,
  ...historyWar,
  ...travelMemoir,
];
