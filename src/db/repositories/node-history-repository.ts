import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { NodeHistoryEvent } from '../../common/records.ts';
import { isoTimestamp } from '../codec.ts';
import { exists, guard, missingReference, now } from '../context.ts';
import type { StoreContext } from '../context.ts';
import { applyKeyset, resolvePage } from '../pagination.ts';
import type { SortColumn } from '../pagination.ts';
import { nodeHistoryFromRow } from '../rows/node-history-row.ts';
import type { NodeHistoryTable } from '../schema.ts';
import type {
  NewNodeHistoryEvent,
  NodeHistoryPrune,
  NodeHistoryRepository,
  PageRequest,
} from '../store.ts';

type HistorySortKey = 'uuid' | 'createdAt';

const SORT_COLUMNS: Readonly<Record<HistorySortKey, SortColumn>> = {
  uuid: { column: 'uuid', nullable: false },
  createdAt: { column: 'created_at', nullable: false },
};

export class KyselyNodeHistoryRepository implements NodeHistoryRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async record(event: NewNodeHistoryEvent): Promise<NodeHistoryEvent> {
    const ctx = this.#ctx;
    const row: Selectable<NodeHistoryTable> = {
      uuid: event.uuid ?? randomUUID(),
      node_uuid: event.nodeUuid,
      conductor: event.conductor ?? null,
      event: event.event,
      event_type: event.eventType,
      severity: event.severity,
      user: event.user ?? null,
      created_at: now(ctx),
    };
    await guard(
      ctx,
      () => ctx.db.insertInto('node_history').values(row).execute(),
      (failure) =>
        missingReference(ctx, failure, [
          {
            foreignKey: 'node_history_node_uuid_fkey',
            table: 'nodes',
            column: 'uuid',
            value: event.nodeUuid,
            missing: () => new FerriteError('NodeNotFound', { node: event.nodeUuid }),
          },
        ]),
    );
    return nodeHistoryFromRow(row);
  }

  async list(nodeUuid: string, page?: PageRequest<HistorySortKey>): Promise<NodeHistoryEvent[]> {
    const ctx = this.#ctx;
    const keyset = await resolvePage(
      ctx,
      'node_history',
      SORT_COLUMNS,
      page,
      'createdAt',
      (marker) => new FerriteError('NodeHistoryNotFound', { history: marker }),
    );
    const rows = await applyKeyset(
      ctx.db.selectFrom('node_history').selectAll().where('node_uuid', '=', nodeUuid),
      keyset,
    ).execute();
    // Only an empty page needs the node checked: any event proves it exists.
    if (rows.length === 0) await this.#nodeMustExist(nodeUuid);
    return rows.map(nodeHistoryFromRow);
  }

  async get(nodeUuid: string, eventUuid: string): Promise<NodeHistoryEvent> {
    const row = await this.#ctx.db
      .selectFrom('node_history')
      .selectAll()
      .where('uuid', '=', eventUuid)
      .where('node_uuid', '=', nodeUuid)
      .executeTakeFirst();
    if (row !== undefined) return nodeHistoryFromRow(row);
    await this.#nodeMustExist(nodeUuid);
    throw new FerriteError('NodeHistoryNotFound', { history: eventUuid });
  }

  /**
   * One statement: ranks each node's events newest first with a window
   * function and deletes those ranked past `keep`. Works the
   * (node_uuid, created_at, uuid) index on both databases.
   */
  async prune(options: NodeHistoryPrune): Promise<number> {
    const ctx = this.#ctx;
    const { keep, nodeUuids, createdBefore } = options;
    if (!Number.isInteger(keep) || keep < 0) {
      throw new FerriteError('InvalidParameterValue', {
        err: `The number of history events to keep must be a non-negative integer, not ${String(keep)}.`,
      });
    }
    if (nodeUuids !== undefined && nodeUuids.length === 0) return 0;
    const { db, dialect } = ctx;
    let ranked = db
      .selectFrom('node_history')
      .select([
        'uuid',
        'created_at',
        sql<number>`row_number() over (partition by ${sql.ref('node_uuid')} order by ${sql.ref('created_at')} desc, ${sql.ref('uuid')} desc)`.as(
          'newness',
        ),
      ]);
    if (nodeUuids !== undefined)
      ranked = ranked.where(dialect.inList('node_uuid', dialect.list(nodeUuids)));
    let doomed = db
      .selectFrom(ranked.as('ranked'))
      .select('ranked.uuid')
      .where('ranked.newness', '>', keep);
    if (createdBefore !== undefined) {
      doomed = doomed.where('ranked.created_at', '<', isoTimestamp(createdBefore));
    }
    const result = await guard(ctx, () =>
      db.deleteFrom('node_history').where('uuid', 'in', doomed).executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  async #nodeMustExist(nodeUuid: string): Promise<void> {
    if (!(await exists(this.#ctx, 'nodes', 'uuid', nodeUuid))) {
      throw new FerriteError('NodeNotFound', { node: nodeUuid });
    }
  }
}
