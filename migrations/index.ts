import { Foundation1763900000000 } from './1763900000000-foundation.js';

/** Every migration, in order. Listed explicitly so the same list runs under tsc and ts-jest. */
export const migrations = [Foundation1763900000000];
