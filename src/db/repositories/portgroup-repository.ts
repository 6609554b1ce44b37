import { randomUUID } from 'node:crypto';
import type { Expression, Insertable, Selectable, SqlBool } from 'kysely';
import { expressionBuilder } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { Portgroup } from '../../common/records.ts';
import { exists, guard, inTransaction, missingReference, now } from '../context.ts';
import type { Explain, StoreContext } from '../context.ts';
import { applyKeyset, resolvePage } from '../pagination.ts';
import type { SortColumn } from '../pagination.ts';
import { PORTGROUP_DEFAULTS, portgroupColumns, portgroupFromRow } from '../rows/port-row.ts';
import type { Database, PortgroupsTable } from '../schema.ts';
import type {
  NewPortgroup,
  PageRequest,
  PortgroupChanges,
  PortgroupFilter,
  PortgroupRepository,
} from '../store.ts';
import { defined } from './record-helpers.ts';
import { isUuid } from '../../common/uuid.ts';

type PortgroupSortKey = 'uuid' | 'address' | 'createdAt';

const SORT_COLUMNS: Readonly<Record<PortgroupSortKey, SortColumn>> = {
  uuid: { column: 'uuid', nullable: false },
  address: { column: 'address', nullable: true },
  createdAt: { column: 'created_at', nullable: false },
};

function portgroupFilter(
  ctx: StoreContext,
  filter: PortgroupFilter,
): Expression<SqlBool> | undefined {
  const eb = expressionBuilder<Database, 'portgroups'>();
  const all: Expression<SqlBool>[] = [];
  if (filter.nodeUuid !== undefined) all.push(eb('node_uuid', '=', filter.nodeUuid));
  if (filter.nodeUuids !== undefined) {
    all.push(ctx.dialect.inList('node_uuid', ctx.dialect.list(filter.nodeUuids)));
  }
  if (filter.address !== undefined) all.push(eb('address', '=', filter.address));
  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : eb.and(all);
}

export class KyselyPortgroupRepository implements PortgroupRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async create(portgroup: NewPortgroup): Promise<Portgroup> {
    const ctx = this.#ctx;
    // Stamped by the store: the row's created_at, read back below.
    const record: Omit<Portgroup, 'createdAt' | 'updatedAt'> = {
      ...PORTGROUP_DEFAULTS,
      ...defined(portgroup),
      uuid: portgroup.uuid ?? randomUUID(),
      nodeUuid: portgroup.nodeUuid,
    };
    const row: Insertable<PortgroupsTable> = {
      ...(portgroupColumns(record) as Insertable<PortgroupsTable>),
      uuid: record.uuid,
      created_at: now(ctx),
      updated_at: null,
    };
    await guard(
      ctx,
      () => ctx.db.insertInto('portgroups').values(row).execute(),
      this.#explain(record.uuid, record),
    );
    return portgroupFromRow(row as Selectable<PortgroupsTable>);
  }

  async get(ident: string): Promise<Portgroup> {
    const row = await this.#ctx.db
      .selectFrom('portgroups')
      .selectAll()
      .where(isUuid(ident) ? 'uuid' : 'name', '=', ident)
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('PortgroupNotFound', { portgroup: ident });
    return portgroupFromRow(row);
  }

  async list(
    filter: PortgroupFilter = {},
    page?: PageRequest<PortgroupSortKey>,
  ): Promise<Portgroup[]> {
    const ctx = this.#ctx;
    const keyset = await resolvePage(
      ctx,
      'portgroups',
      SORT_COLUMNS,
      page,
      'createdAt',
      (marker) => new FerriteError('PortgroupNotFound', { portgroup: marker }),
    );
    let query = ctx.db.selectFrom('portgroups').selectAll();
    const where = portgroupFilter(ctx, filter);
    if (where !== undefined) query = query.where(where);
    const rows = await applyKeyset(query, keyset).execute();
    const portgroups: Portgroup[] = new Array<Portgroup>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      portgroups[i] = portgroupFromRow(rows[i] as Selectable<PortgroupsTable>);
    }
    return portgroups;
  }

  async update(uuid: string, changes: PortgroupChanges): Promise<Portgroup> {
    const ctx = this.#ctx;
    const row = await guard(
      ctx,
      () =>
        ctx.db
          .updateTable('portgroups')
          .set({ ...portgroupColumns(changes), updated_at: now(ctx) })
          .where('uuid', '=', uuid)
          .returningAll()
          .executeTakeFirst(),
      this.#explain(uuid, changes),
    );
    if (row === undefined) throw new FerriteError('PortgroupNotFound', { portgroup: uuid });
    return portgroupFromRow(row);
  }

  async delete(uuid: string): Promise<void> {
    const ctx = this.#ctx;
    const notEmpty = () => new FerriteError('PortgroupNotEmpty', { portgroup: uuid });
    await guard(
      ctx,
      () =>
        inTransaction(ctx, async (tx) => {
          if (await exists(tx, 'ports', 'portgroup_uuid', uuid)) throw notEmpty();
          const result = await tx.db
            .deleteFrom('portgroups')
            .where('uuid', '=', uuid)
            .executeTakeFirst();
          if (Number(result.numDeletedRows) === 0) {
            throw new FerriteError('PortgroupNotFound', { portgroup: uuid });
          }
        }),
      // A port added between the check and the delete (another transaction).
      (failure) => (failure.kind === 'foreignKey' ? notEmpty() : undefined),
    );
  }

  #explain(uuid: string, values: PortgroupChanges): Explain {
    const ctx = this.#ctx;
    return (failure) => {
      if (failure.kind === 'unique') {
        switch (failure.constraint) {
          case 'portgroups_pkey':
            return new FerriteError('PortgroupAlreadyExists', { uuid });
          case 'portgroups_name_key':
            return new FerriteError('PortgroupDuplicateName', { name: values.name });
          case 'portgroups_address_key':
            return new FerriteError('PortgroupMACAlreadyExists', { mac: values.address });
          default:
            return undefined;
        }
      }
      return missingReference(ctx, failure, [
        {
          foreignKey: 'portgroups_node_uuid_fkey',
          table: 'nodes',
          column: 'uuid',
          value: values.nodeUuid,
          missing: () => new FerriteError('NodeNotFound', { node: values.nodeUuid }),
        },
      ]);
    };
  }
}
