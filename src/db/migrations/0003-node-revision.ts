import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/**
 * nodes.revision: a number that changes whenever the row does, kept by the
 * database itself (a trigger), so no code path can change a node without
 * changing it. Readers that cache what they made of a node (the API's node
 * views) compare revisions instead of whole rows. New rows start at a random
 * revision (set by the repository): a node deleted and created again under
 * the same uuid does not meet its old revision.
 *
 * Frozen once released, like every migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('nodes')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Only PostgreSQL runs DDL in transactions: the adapter tells the two apart.
  if (db.getExecutor().adapter.supportsTransactionalDdl) {
    await sql`
      create function nodes_next_revision() returns trigger language plpgsql as $$
      begin
        new.revision := old.revision + 1;
        return new;
      end
      $$`.execute(db);
    await sql`
      create trigger nodes_revision before update on nodes
      for each row execute function nodes_next_revision()`.execute(db);
  } else {
    // SQLite cannot change NEW in a trigger: it updates the row again. The WHEN
    // clause stops there, even with recursive triggers on.
    await sql`
      create trigger nodes_revision after update on nodes
      for each row when new.revision = old.revision
      begin
        update nodes set revision = old.revision + 1 where uuid = new.uuid;
      end`.execute(db);
  }
}
