import { sql } from 'kysely';
import type { Insertable, Selectable } from 'kysely';
import { NODE_FIELDS } from '../rows/node-row.ts';
import type { NodesTable } from '../schema.ts';
import { Statement } from '../statement.ts';

/*
 * The node queries that run most (one per task, lock or sweep step), built
 * and compiled once per database; see statement.ts.
 */

/**
 * Every update of a node moves its revision on (migration 0003). The
 * database's trigger does it for any update that does not; doing it here
 * spares SQLite the trigger's second write of the row.
 */
export const NEXT_REVISION = sql<number>`revision + 1`;

// Every column, in one fixed order, so the insert compiles once.
const NODE_TABLE_COLUMNS: readonly (keyof NodesTable)[] = [
  'uuid',
  'reservation',
  'created_at',
  'updated_at',
  'revision',
  ...Object.values(NODE_FIELDS).map(([column]) => column),
];

export const INSERT = new Statement<Insertable<NodesTable>, unknown>((db, p) =>
  db
    .insertInto('nodes')
    .values(Object.fromEntries(NODE_TABLE_COLUMNS.map((c) => [c, p(c)])) as Insertable<NodesTable>),
);
/** A node row with its traits as JSON array text: one round trip for a single-node read. */
export type NodeRowWithTraits = Selectable<NodesTable> & { traits_json: string };

export const BY_UUID = new Statement<{ uuid: string }, NodeRowWithTraits>((db, p, dialect) =>
  db
    .selectFrom('nodes')
    .selectAll()
    .select(dialect.traitsJson().as('traits_json'))
    .where('uuid', '=', p('uuid')),
);
export const BY_NAME = new Statement<{ name: string }, NodeRowWithTraits>((db, p, dialect) =>
  db
    .selectFrom('nodes')
    .selectAll()
    .select(dialect.traitsJson().as('traits_json'))
    .where('name', '=', p('name')),
);
/** A node's uuid and revision alone: the check behind a cached view of the node. */
export const REVISION_BY_UUID = new Statement<{ uuid: string }, { uuid: string; revision: number }>(
  (db, p) => db.selectFrom('nodes').select(['uuid', 'revision']).where('uuid', '=', p('uuid')),
);
export const REVISION_BY_NAME = new Statement<{ name: string }, { uuid: string; revision: number }>(
  (db, p) => db.selectFrom('nodes').select(['uuid', 'revision']).where('name', '=', p('name')),
);
export const RESERVE = new Statement<{ uuid: string; host: string }, unknown>((db, p) =>
  db
    .updateTable('nodes')
    .set({ reservation: p('host'), revision: NEXT_REVISION })
    .where('uuid', '=', p('uuid'))
    .where('reservation', 'is', null),
);
export const LOCK = new Statement<{ uuid: string; host: string }, NodeRowWithTraits>(
  (db, p, dialect) =>
    db
      .updateTable('nodes')
      .set({ reservation: p('host'), revision: NEXT_REVISION })
      .where('uuid', '=', p('uuid'))
      .where('reservation', 'is', null)
      .returningAll()
      .returning(dialect.traitsJson().as('traits_json')),
);
export const RELEASE = new Statement<{ uuid: string; host: string }, unknown>((db, p) =>
  db
    .updateTable('nodes')
    .set({ reservation: null, revision: NEXT_REVISION })
    .where('uuid', '=', p('uuid'))
    .where('reservation', '=', p('host')),
);
export const RESERVATION = new Statement<{ uuid: string }, { reservation: string | null }>(
  (db, p) => db.selectFrom('nodes').select('reservation').where('uuid', '=', p('uuid')),
);
export const DELETE = new Statement<{ uuid: string }, unknown>((db, p) =>
  db.deleteFrom('nodes').where('uuid', '=', p('uuid')),
);
export const TOUCH = new Statement<{ uuid: string; now: string }, unknown>((db, p) =>
  db
    .updateTable('nodes')
    .set({ updated_at: p('now'), revision: NEXT_REVISION })
    .where('uuid', '=', p('uuid')),
);
