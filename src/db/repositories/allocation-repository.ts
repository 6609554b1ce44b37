import { randomUUID } from 'node:crypto';
import { expressionBuilder } from 'kysely';
import type { Expression, Insertable, Selectable, SqlBool } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { Allocation } from '../../common/records.ts';
import { isUuid } from '../../common/uuid.ts';
import { forUpdate, guard, inTransaction, missingReference, now } from '../context.ts';
import type { Explain, StoreContext } from '../context.ts';
import { applyKeyset, resolvePage } from '../pagination.ts';
import type { SortColumn } from '../pagination.ts';
import {
  ALLOCATION_DEFAULTS,
  allocationColumns,
  allocationFromRow,
} from '../rows/allocation-row.ts';
import type { AllocationsTable, Database } from '../schema.ts';
import type {
  AllocationChanges,
  AllocationFilter,
  AllocationRepository,
  AllocationSortKey,
  NewAllocation,
  PageRequest,
} from '../store.ts';
import { defined } from './record-helpers.ts';

const SORT_COLUMNS: Readonly<Record<AllocationSortKey, SortColumn>> = {
  uuid: { column: 'uuid', nullable: false },
  name: { column: 'name', nullable: true },
  createdAt: { column: 'created_at', nullable: false },
  updatedAt: { column: 'updated_at', nullable: true },
  state: { column: 'state', nullable: false },
  resourceClass: { column: 'resource_class', nullable: true },
};

function allocationFilter(filter: AllocationFilter): Expression<SqlBool> | undefined {
  const eb = expressionBuilder<Database, 'allocations'>();
  const all: Expression<SqlBool>[] = [];
  if (filter.nodeUuid !== undefined) all.push(eb('node_uuid', '=', filter.nodeUuid));
  if (filter.resourceClass !== undefined) {
    all.push(eb('resource_class', '=', filter.resourceClass));
  }
  if (filter.state !== undefined) all.push(eb('state', '=', filter.state));
  if (filter.owner !== undefined) all.push(eb('owner', '=', filter.owner));
  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : eb.and(all);
}

/**
 * Points node `nodeUuid` at allocation `allocationUuid`, after checking
 * (under the node's row lock) that the node exists and is not held by
 * another allocation or instance: Ironic's NodeAssociated. An instance
 * whose uuid is the allocation's is this allocation's own.
 */
async function assignNode(
  tx: StoreContext,
  nodeUuid: string,
  allocationUuid: string,
): Promise<void> {
  const node = await forUpdate(
    tx,
    tx.db
      .selectFrom('nodes')
      .select(['instance_uuid', 'allocation_uuid'])
      .where('uuid', '=', nodeUuid),
  ).executeTakeFirst();
  if (node === undefined) throw new FerriteError('NodeNotFound', { node: nodeUuid });
  const holder = [node.allocation_uuid, node.instance_uuid].find(
    (other) => other !== null && other !== allocationUuid,
  );
  if (holder !== undefined) {
    throw new FerriteError('NodeAssociated', { node: nodeUuid, instance: holder });
  }
  await tx.db
    .updateTable('nodes')
    .set({ allocation_uuid: allocationUuid, updated_at: now(tx) })
    .where('uuid', '=', nodeUuid)
    .execute();
}

/** Clears the allocation from whichever node points at it. */
async function releaseNode(tx: StoreContext, allocationUuid: string): Promise<void> {
  await tx.db
    .updateTable('nodes')
    .set({ allocation_uuid: null, updated_at: now(tx) })
    .where('allocation_uuid', '=', allocationUuid)
    .execute();
}

export class KyselyAllocationRepository implements AllocationRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async create(allocation: NewAllocation): Promise<Allocation> {
    const ctx = this.#ctx;
    const record: Omit<Allocation, 'createdAt' | 'updatedAt'> = {
      ...ALLOCATION_DEFAULTS,
      ...defined(allocation),
      uuid: allocation.uuid ?? randomUUID(),
    };
    const row: Insertable<AllocationsTable> = {
      ...(allocationColumns(record) as Insertable<AllocationsTable>),
      uuid: record.uuid,
      created_at: now(ctx),
      updated_at: null,
    };
    const nodeUuid = record.nodeUuid;
    await guard(
      ctx,
      async () => {
        if (nodeUuid === null) {
          await ctx.db.insertInto('allocations').values(row).execute();
          return;
        }
        await inTransaction(ctx, async (tx) => {
          // The allocation first: a taken uuid or name is reported as such, not as the node's.
          await tx.db.insertInto('allocations').values(row).execute();
          await assignNode(tx, nodeUuid, record.uuid);
        });
      },
      this.#explain(record.uuid, record),
    );
    return allocationFromRow(row as Selectable<AllocationsTable>);
  }

  async get(ident: string): Promise<Allocation> {
    const row = await this.#ctx.db
      .selectFrom('allocations')
      .selectAll()
      .where(isUuid(ident) ? 'uuid' : 'name', '=', ident)
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('AllocationNotFound', { allocation: ident });
    return allocationFromRow(row);
  }

  async list(
    filter: AllocationFilter = {},
    page?: PageRequest<AllocationSortKey>,
  ): Promise<Allocation[]> {
    const ctx = this.#ctx;
    const keyset = await resolvePage(
      ctx,
      'allocations',
      SORT_COLUMNS,
      page,
      'createdAt',
      (marker) => new FerriteError('AllocationNotFound', { allocation: marker }),
    );
    let query = ctx.db.selectFrom('allocations').selectAll();
    const where = allocationFilter(filter);
    if (where !== undefined) query = query.where(where);
    const rows = await applyKeyset(query, keyset).execute();
    return rows.map(allocationFromRow);
  }

  async update(uuid: string, changes: AllocationChanges): Promise<Allocation> {
    const ctx = this.#ctx;
    const columns = { ...allocationColumns(changes), updated_at: now(ctx) };
    const write = async (tx: StoreContext): Promise<Selectable<AllocationsTable> | undefined> =>
      tx.db
        .updateTable('allocations')
        .set(columns)
        .where('uuid', '=', uuid)
        .returningAll()
        .executeTakeFirst();
    const target = changes.nodeUuid;
    const row = await guard(
      ctx,
      () =>
        target === undefined
          ? write(ctx)
          : inTransaction(ctx, async (tx) => {
              // Locked: a concurrent move of the same allocation waits for this one.
              const current = await forUpdate(
                tx,
                tx.db.selectFrom('allocations').select('node_uuid').where('uuid', '=', uuid),
              ).executeTakeFirst();
              if (current === undefined) return undefined;
              if (current.node_uuid !== target) {
                if (current.node_uuid !== null) await releaseNode(tx, uuid);
                if (target !== null) await assignNode(tx, target, uuid);
              }
              return write(tx);
            }),
      this.#explain(uuid, changes),
    );
    if (row === undefined) throw new FerriteError('AllocationNotFound', { allocation: uuid });
    return allocationFromRow(row);
  }

  async delete(uuid: string): Promise<void> {
    const ctx = this.#ctx;
    await guard(ctx, () =>
      inTransaction(ctx, async (tx) => {
        const deleted = await tx.db
          .deleteFrom('allocations')
          .where('uuid', '=', uuid)
          .returning('node_uuid')
          .executeTakeFirst();
        if (deleted === undefined) {
          throw new FerriteError('AllocationNotFound', { allocation: uuid });
        }
        if (deleted.node_uuid !== null) await releaseNode(tx, uuid);
      }),
    );
  }

  /** Catalogue errors for a write of `values` to allocation `uuid`. */
  #explain(uuid: string, values: AllocationChanges): Explain {
    const ctx = this.#ctx;
    return async (failure) => {
      if (failure.kind === 'unique') {
        switch (failure.constraint) {
          case 'allocations_pkey':
            return new FerriteError('AllocationAlreadyExists', { uuid });
          case 'allocations_name_key':
            return new FerriteError('AllocationDuplicateName', { name: values.name });
          case 'allocations_node_uuid_key': {
            // Another allocation took the node first (the row lock makes this rare).
            const holder = await ctx.db
              .selectFrom('allocations')
              .select('uuid')
              .where('node_uuid', '=', values.nodeUuid ?? null)
              .executeTakeFirst();
            return new FerriteError('NodeAssociated', {
              node: values.nodeUuid,
              instance: holder?.uuid,
            });
          }
          default:
            return undefined;
        }
      }
      return missingReference(ctx, failure, [
        {
          foreignKey: 'allocations_node_uuid_fkey',
          table: 'nodes',
          column: 'uuid',
          value: values.nodeUuid,
          missing: () => new FerriteError('NodeNotFound', { node: values.nodeUuid }),
        },
      ]);
    };
  }
}
