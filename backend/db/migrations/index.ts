import type { Migration } from '../migrate.ts';
import { migration as m0001 } from './0001-initial.ts';
import { migration as m0002 } from './0002-packs.ts';
import { migration as m0003 } from './0003-template-drafts.ts';
import { migration as m0004 } from './0004-derived-packs.ts';
import { migration as m0005 } from './0005-products.ts';
import { migration as m0006 } from './0006-distributor-workspace.ts';
import { migration as m0007 } from './0007-learning.ts';
import { migration as m0008 } from './0008-mdf.ts';
import { migration as m0009 } from './0009-insights.ts';
import { migration as m0010 } from './0010-insight-rollups.ts';

/** Every catalogue migration, in order. Append only; never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010];
