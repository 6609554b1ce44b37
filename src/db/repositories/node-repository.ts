import { randomInt, randomUUID } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { Node } from '../../common/records.ts';
import { atomicWrite, exists, guard, inTransaction, missingReference, now } from '../context.ts';
import type { Explain, StoreContext } from '../context.ts';
import { applyKeyset, resolvePage } from '../pagination.ts';
import type { SortColumn } from '../pagination.ts';
import { NODE_DEFAULTS, nodeColumns, nodeFromRow } from '../rows/node-row.ts';
import type { NodesTable } from '../schema.ts';
import type {
  NewNode,
  NodeChanges,
  NodeFilter,
  NodeRepository,
  NodeRevision,
  NodeSortKey,
  NodeTimestamps,
  PageRequest,
  RevisedNode,
  ShardCount,
} from '../store.ts';
import { nodeFilter } from './node-filter.ts';
import {
  BY_NAME,
  BY_UUID,
  DELETE,
  INSERT,
  LOCK,
  RELEASE,
  RESERVATION,
  RESERVE,
  REVISION_BY_NAME,
  REVISION_BY_UUID,
  NEXT_REVISION,
  TOUCH,
} from './node-statements.ts';
import {
  insertTraits,
  normaliseTraits,
  replaceTraits,
  traitsOf,
  traitsOfRows,
} from './node-traits.ts';
import { affectedRows, defined } from './record-helpers.ts';
import { isUuid } from '../../common/uuid.ts';

const SORT_COLUMNS: Readonly<Record<NodeSortKey, SortColumn>> = {
  uuid: { column: 'uuid', nullable: false },
  name: { column: 'name', nullable: true },
  createdAt: { column: 'created_at', nullable: false },
  updatedAt: { column: 'updated_at', nullable: true },
  provisionState: { column: 'provision_state', nullable: false },
  provisionUpdatedAt: { column: 'provision_updated_at', nullable: true },
  powerState: { column: 'power_state', nullable: true },
  driver: { column: 'driver', nullable: false },
};

/** Ironic's order: creation order (its autoincrement id), uuid breaking ties. */
const DEFAULT_SORT: NodeSortKey = 'createdAt';

export class KyselyNodeRepository implements NodeRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async create(node: NewNode): Promise<Node> {
    const ctx = this.#ctx;
    const createdAt = now(ctx);
    const record: Node = {
      ...NODE_DEFAULTS,
      ...defined(node),
      uuid: node.uuid ?? randomUUID(),
      driver: node.driver,
      reservation: null,
      traits: normaliseTraits(node.traits ?? []),
      createdAt: new Date(createdAt),
      updatedAt: null,
    };
    const row: Insertable<NodesTable> = {
      ...(nodeColumns(record) as Insertable<NodesTable>),
      uuid: record.uuid,
      reservation: null,
      created_at: createdAt,
      updated_at: null,
      // Random, so that a uuid deleted and created again never repeats a revision.
      revision: randomInt(2 ** 30),
    };
    await guard(
      ctx,
      async () => {
        if (record.traits.length === 0 && ctx.writes === undefined) {
          await INSERT.run(ctx.dialect, ctx.db, row);
          return;
        }
        // Enrolments come in bursts: on SQLite they share commits.
        await atomicWrite(
          ctx,
          async (tx) => {
            await INSERT.run(tx.dialect, tx.db, row);
            if (record.traits.length > 0) await insertTraits(tx, record.uuid, record.traits);
          },
          record.traits.length === 0,
        );
      },
      this.#explain(record.uuid, record),
    );
    // What was stored, read back from the row: no aliasing of the caller's objects.
    return nodeFromRow(row as Selectable<NodesTable>, record.traits);
  }

  async get(ident: string): Promise<Node> {
    const node = await this.find(ident);
    if (node === undefined) throw new FerriteError('NodeNotFound', { node: ident });
    return node;
  }

  async find(ident: string): Promise<Node | undefined> {
    const ctx = this.#ctx;
    const { rows } = isUuid(ident)
      ? await BY_UUID.run(ctx.dialect, ctx.db, { uuid: ident })
      : await BY_NAME.run(ctx.dialect, ctx.db, { name: ident });
    const row = rows[0];
    if (row === undefined) return undefined;
    return nodeFromRow(row, (JSON.parse(row.traits_json) as string[]).sort());
  }

  async getMany(uuids: readonly string[]): Promise<Node[]> {
    if (uuids.length === 0) return [];
    const { db, dialect } = this.#ctx;
    const rows = await db
      .selectFrom('nodes')
      .selectAll()
      .where(dialect.inList('uuid', dialect.list(uuids)))
      .execute();
    return this.#withTraits(rows);
  }

  /**
   * Default order: createdAt ascending (Ironic lists in creation order),
   * uuid breaking ties; no limit unless asked. NULL sort values come first
   * ascending and last descending. The marker is the uuid of the previous
   * page's last node: sorting by uuid needs no lookup of it, so a sweep in
   * uuid order survives that node's deletion; other keys throw NodeNotFound
   * for a vanished marker.
   */
  async list(filter: NodeFilter = {}, page?: PageRequest<NodeSortKey>): Promise<Node[]> {
    const ctx = this.#ctx;
    const keyset = await resolvePage(
      ctx,
      'nodes',
      SORT_COLUMNS,
      page,
      DEFAULT_SORT,
      (marker) => new FerriteError('NodeNotFound', { node: marker }),
    );
    let query = ctx.db.selectFrom('nodes').selectAll();
    const where = nodeFilter(filter);
    if (where !== undefined) query = query.where(where);
    const rows = await applyKeyset(query, keyset).execute();
    return this.#withTraits(rows);
  }

  async revisions(
    filter: NodeFilter = {},
    page?: PageRequest<NodeSortKey>,
  ): Promise<NodeRevision[]> {
    const ctx = this.#ctx;
    const keyset = await resolvePage(
      ctx,
      'nodes',
      SORT_COLUMNS,
      page,
      DEFAULT_SORT,
      (marker) => new FerriteError('NodeNotFound', { node: marker }),
    );
    let query = ctx.db.selectFrom('nodes').select(['uuid', 'revision']);
    const where = nodeFilter(filter);
    if (where !== undefined) query = query.where(where);
    const rows = await applyKeyset(query, keyset).execute();
    return rows.map((r) => ({ uuid: r.uuid, revision: r.revision }));
  }

  async revisionOf(ident: string): Promise<NodeRevision | undefined> {
    const ctx = this.#ctx;
    const { rows } = isUuid(ident)
      ? await REVISION_BY_UUID.run(ctx.dialect, ctx.db, { uuid: ident })
      : await REVISION_BY_NAME.run(ctx.dialect, ctx.db, { name: ident });
    const row = rows[0];
    return row === undefined ? undefined : { uuid: row.uuid, revision: row.revision };
  }

  async getWithRevisions(uuids: readonly string[]): Promise<RevisedNode[]> {
    if (uuids.length === 0) return [];
    const ctx = this.#ctx;
    const rows = await ctx.db
      .selectFrom('nodes')
      .selectAll()
      .where(ctx.dialect.inList('uuid', ctx.dialect.list(uuids)))
      .execute();
    const nodes = await this.#withTraits(rows);
    return nodes.map((node, i) => ({ node, revision: rows[i]?.revision ?? -1 }));
  }

  async count(filter: NodeFilter = {}): Promise<number> {
    const { db } = this.#ctx;
    let query = db.selectFrom('nodes').select(db.fn.countAll().as('n'));
    const where = nodeFilter(filter);
    if (where !== undefined) query = query.where(where);
    const row = await query.executeTakeFirstOrThrow();
    // PostgreSQL's count is a bigint, which pg returns as a string.
    return Number(row.n);
  }

  /** The columns a write of `changes` sets, with its timestamps. */
  #columnsFor(changes: NodeChanges): {
    columns: ReturnType<typeof nodeColumns>;
    timestamps: NodeTimestamps;
  } {
    const at = now(this.#ctx);
    const columns = nodeColumns(changes);
    columns.updated_at = at;
    // Timeouts count from the last provision state change; an explicit value wins.
    const stamped =
      changes.provisionState !== undefined && changes.provisionUpdatedAt === undefined;
    if (stamped) columns.provision_updated_at = at;
    return {
      columns,
      timestamps: {
        updatedAt: new Date(at),
        ...(stamped ? { provisionUpdatedAt: new Date(at) } : {}),
      },
    };
  }

  async write(uuid: string, changes: NodeChanges): Promise<NodeTimestamps> {
    if (changes.traits !== undefined) {
      const stored = await this.update(uuid, changes);
      return {
        updatedAt: stored.updatedAt ?? new Date(now(this.#ctx)),
        ...(changes.provisionState !== undefined && stored.provisionUpdatedAt
          ? { provisionUpdatedAt: stored.provisionUpdatedAt }
          : {}),
      };
    }
    const ctx = this.#ctx;
    const { columns, timestamps } = this.#columnsFor(changes);
    const result = await guard(
      ctx,
      () =>
        ctx.db
          .updateTable('nodes')
          .set({ ...columns, revision: NEXT_REVISION })
          .where('uuid', '=', uuid)
          .executeTakeFirst(),
      this.#explain(uuid, changes),
    );
    if (Number(result.numUpdatedRows) === 0) throw new FerriteError('NodeNotFound', { node: uuid });
    return timestamps;
  }

  async update(uuid: string, changes: NodeChanges): Promise<Node> {
    const ctx = this.#ctx;
    const { columns } = this.#columnsFor(changes);
    const traits = changes.traits === undefined ? undefined : normaliseTraits(changes.traits);
    const write = async (tx: StoreContext): Promise<Selectable<NodesTable>> => {
      const row = await tx.db
        .updateTable('nodes')
        .set({ ...columns, revision: NEXT_REVISION })
        .where('uuid', '=', uuid)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw new FerriteError('NodeNotFound', { node: uuid });
      if (traits !== undefined) await replaceTraits(tx, uuid, traits);
      return row;
    };
    const row = await guard(
      ctx,
      () => (traits === undefined ? write(ctx) : inTransaction(ctx, write)),
      this.#explain(uuid, changes),
    );
    return nodeFromRow(row, traits ?? (await traitsOf(ctx, uuid)));
  }

  async delete(uuid: string): Promise<void> {
    const ctx = this.#ctx;
    // One statement: the foreign keys' ON DELETE CASCADE removes ports,
    // portgroups, traits and volume rows atomically with the node.
    const result = await guard(ctx, () => DELETE.run(ctx.dialect, ctx.db, { uuid }));
    if (affectedRows(result) === 0) throw new FerriteError('NodeNotFound', { node: uuid });
  }

  /** Leaves updated_at alone: the lock is not node data, and the API shows updated_at. */
  async reserve(uuid: string, host: string): Promise<boolean> {
    const ctx = this.#ctx;
    const result = await guard(ctx, () => RESERVE.run(ctx.dialect, ctx.db, { uuid, host }));
    if (affectedRows(result) === 1) return true;
    await this.#mustExist(uuid);
    return false;
  }

  async lock(uuid: string, host: string): Promise<Node | null> {
    const ctx = this.#ctx;
    const { rows } = await guard(ctx, () => LOCK.run(ctx.dialect, ctx.db, { uuid, host }));
    const row = rows[0];
    if (row !== undefined)
      return nodeFromRow(row, (JSON.parse(row.traits_json) as string[]).sort());
    await this.#mustExist(uuid);
    return null;
  }

  async reservation(uuid: string): Promise<string | null> {
    const ctx = this.#ctx;
    const { rows } = await RESERVATION.run(ctx.dialect, ctx.db, { uuid });
    const row = rows[0];
    if (row === undefined) throw new FerriteError('NodeNotFound', { node: uuid });
    return row.reservation;
  }

  async release(uuid: string, host: string, changes?: NodeChanges): Promise<boolean> {
    const ctx = this.#ctx;
    if (changes !== undefined && changes.traits !== undefined) {
      throw new FerriteError('InvalidParameterValue', {
        err: 'Traits are not written on release.',
      });
    }
    const released =
      changes === undefined || Object.keys(changes).length === 0
        ? affectedRows(await guard(ctx, () => RELEASE.run(ctx.dialect, ctx.db, { uuid, host })))
        : Number(
            (
              await guard(
                ctx,
                () =>
                  ctx.db
                    .updateTable('nodes')
                    .set({
                      ...this.#columnsFor(changes).columns,
                      reservation: null,
                      revision: NEXT_REVISION,
                    })
                    .where('uuid', '=', uuid)
                    .where('reservation', '=', host)
                    .executeTakeFirst(),
                this.#explain(uuid, changes),
              )
            ).numUpdatedRows,
          );
    if (released === 1) return true;
    await this.#mustExist(uuid);
    return false;
  }

  /** Bumps updated_at, unlike reserve and release: clearing target_power_state changes the node. */
  async releaseAll(host: string): Promise<string[]> {
    const ctx = this.#ctx;
    const rows = await guard(ctx, () =>
      ctx.db
        .updateTable('nodes')
        .set({
          reservation: null,
          target_power_state: null,
          updated_at: now(ctx),
          revision: NEXT_REVISION,
        })
        .where('reservation', '=', host)
        .returning('uuid')
        .execute(),
    );
    return rows.map((r) => r.uuid);
  }

  async setTraits(uuid: string, traits: readonly string[]): Promise<void> {
    const ctx = this.#ctx;
    const wanted = normaliseTraits(traits);
    await guard(
      ctx,
      () =>
        inTransaction(ctx, async (tx) => {
          // Also the existence check, and on PostgreSQL it locks the row so
          // concurrent replacements of one node's traits run one at a time.
          const touched = await TOUCH.run(tx.dialect, tx.db, { uuid, now: now(tx) });
          if (affectedRows(touched) === 0) throw new FerriteError('NodeNotFound', { node: uuid });
          await replaceTraits(tx, uuid, wanted);
        }),
      this.#explain(uuid, {}),
    );
  }

  /**
   * One grouped count over the shard index. Nodes without a shard form the
   * group named null, as Ironic's shard list counts them too.
   */
  async shards(): Promise<ShardCount[]> {
    const { db } = this.#ctx;
    const rows = await db
      .selectFrom('nodes')
      .select(['shard', db.fn.countAll().as('n')])
      .groupBy('shard')
      .execute();
    // PostgreSQL's count is a bigint, which pg returns as a string.
    const shards = rows.map((r) => ({ name: r.shard, count: Number(r.n) }));
    // Sorted here: the databases disagree on where NULL sorts.
    return shards.sort(
      (a, b) =>
        b.count - a.count ||
        (a.name === b.name
          ? 0
          : a.name === null
            ? 1
            : b.name === null
              ? -1
              : a.name < b.name
                ? -1
                : 1),
    );
  }

  async #mustExist(uuid: string): Promise<void> {
    if (!(await exists(this.#ctx, 'nodes', 'uuid', uuid))) {
      throw new FerriteError('NodeNotFound', { node: uuid });
    }
  }

  /** Maps rows to nodes, loading the traits of all of them in one query (no N+1). */
  async #withTraits(rows: readonly Selectable<NodesTable>[]): Promise<Node[]> {
    const traits = await traitsOfRows(this.#ctx, rows);
    const nodes: Node[] = new Array<Node>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Selectable<NodesTable>;
      nodes[i] = nodeFromRow(row, traits.get(row.uuid) ?? []);
    }
    return nodes;
  }

  /** Catalogue errors for a write of `values` to node `uuid`. */
  #explain(uuid: string, values: Partial<Node>): Explain {
    const ctx = this.#ctx;
    return (failure) => {
      if (failure.kind === 'unique') {
        switch (failure.constraint) {
          case 'nodes_pkey':
            return new FerriteError('NodeAlreadyExists', { uuid });
          case 'nodes_name_key':
            return new FerriteError('DuplicateName', { name: values.name });
          case 'nodes_instance_uuid_key':
            return new FerriteError('InstanceAssociated', {
              instance_uuid: values.instanceUuid,
              node: uuid,
            });
          default:
            return undefined;
        }
      }
      return missingReference(ctx, failure, [
        {
          foreignKey: 'nodes_chassis_uuid_fkey',
          table: 'chassis',
          column: 'uuid',
          value: values.chassisUuid,
          missing: () => new FerriteError('ChassisNotFound', { chassis: values.chassisUuid }),
        },
        {
          foreignKey: 'node_traits_node_uuid_fkey',
          table: 'nodes',
          column: 'uuid',
          value: uuid,
          missing: () => new FerriteError('NodeNotFound', { node: uuid }),
        },
      ]);
    };
  }
}
