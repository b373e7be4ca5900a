// Benchmark families (one file each): their cases in one flat list, addressable by index from
// every worker process, and each case's seeded data.
import * as dense from './dense.mjs';
import * as lowbit from './lowbit.mjs';
import * as mac from './mac.mjs';
import * as sc from './sc.mjs';
import * as sparse from './sparse.mjs';

export const FAMILIES = { dense, sparse, lowbit, sc, mac };

/** Every case of the selected families, in a stable order (workers look cases up by index). */
export function allCases({ quick }) {
  return Object.entries(FAMILIES).flatMap(([family, f]) => f.cases({ quick }).map((c) => ({ ...c, family })));
}

export const dataFor = (c) => FAMILIES[c.family].data(c);
