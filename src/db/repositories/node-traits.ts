import type { Selectable } from 'kysely';
import type { StoreContext } from '../context.ts';
import type { NodesTable } from '../schema.ts';
import { Statement } from '../statement.ts';

const TRAITS_OF = new Statement<{ uuid: string }, { trait: string }>((db, p) =>
  db.selectFrom('node_traits').select('trait').where('node_uuid', '=', p('uuid')),
);
const DELETE_TRAITS = new Statement<{ uuid: string }, unknown>((db, p) =>
  db.deleteFrom('node_traits').where('node_uuid', '=', p('uuid')),
);

/** Sorted, without duplicates: how traits are stored and returned. */
export function normaliseTraits(traits: readonly string[]): string[] {
  return [...new Set(traits)].sort();
}

export async function insertTraits(ctx: StoreContext, uuid: string, traits: readonly string[]) {
  if (traits.length === 0) return;
  await ctx.db
    .insertInto('node_traits')
    .values(traits.map((trait) => ({ node_uuid: uuid, trait })))
    .execute();
}

export async function replaceTraits(ctx: StoreContext, uuid: string, traits: readonly string[]) {
  await DELETE_TRAITS.run(ctx.dialect, ctx.db, { uuid });
  await insertTraits(ctx, uuid, traits);
}

/** One node's traits, sorted. */
export async function traitsOf(ctx: StoreContext, uuid: string): Promise<string[]> {
  const { rows } = await TRAITS_OF.run(ctx.dialect, ctx.db, { uuid });
  const traits: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) traits[i] = (rows[i] as { trait: string }).trait;
  return traits.sort();
}

/**
 * The traits of every node in `rows`, in ONE query however many rows (the
 * uuids travel as a single parameter), each list sorted; nodes without
 * traits are absent from the map.
 */
export async function traitsOfRows(
  ctx: StoreContext,
  rows: readonly Selectable<NodesTable>[],
): Promise<Map<string, string[]>> {
  const traits = new Map<string, string[]>();
  if (rows.length === 0) return traits;
  const uuids: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) uuids[i] = (rows[i] as Selectable<NodesTable>).uuid;
  const traitRows = await ctx.db
    .selectFrom('node_traits')
    .select(['node_uuid', 'trait'])
    .where(ctx.dialect.inList('node_uuid', ctx.dialect.list(uuids)))
    .execute();
  for (const { node_uuid, trait } of traitRows) {
    const list = traits.get(node_uuid);
    if (list === undefined) traits.set(node_uuid, [trait]);
    else list.push(trait);
  }
  for (const list of traits.values()) list.sort();
  return traits;
}
