import { randomUUID } from 'node:crypto';
import type { Expression, Insertable, Selectable, SqlBool } from 'kysely';
import { expressionBuilder } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { Port } from '../../common/records.ts';
import { guard, missingReference, now } from '../context.ts';
import type { Explain, StoreContext } from '../context.ts';
import { applyKeyset, resolvePage } from '../pagination.ts';
import type { SortColumn } from '../pagination.ts';
import { PORT_DEFAULTS, portColumns, portFromRow } from '../rows/port-row.ts';
import type { Database, PortsTable } from '../schema.ts';
import type { NewPort, PageRequest, PortChanges, PortFilter, PortRepository } from '../store.ts';
import { defined } from './record-helpers.ts';
import { isUuid } from '../../common/uuid.ts';

type PortSortKey = 'uuid' | 'address' | 'createdAt';

const SORT_COLUMNS: Readonly<Record<PortSortKey, SortColumn>> = {
  uuid: { column: 'uuid', nullable: false },
  address: { column: 'address', nullable: false },
  createdAt: { column: 'created_at', nullable: false },
};

function portFilter(ctx: StoreContext, filter: PortFilter): Expression<SqlBool> | undefined {
  const eb = expressionBuilder<Database, 'ports'>();
  const all: Expression<SqlBool>[] = [];
  if (filter.nodeUuid !== undefined) all.push(eb('node_uuid', '=', filter.nodeUuid));
  if (filter.nodeUuids !== undefined) {
    all.push(ctx.dialect.inList('node_uuid', ctx.dialect.list(filter.nodeUuids)));
  }
  if (filter.portgroupUuid !== undefined) {
    all.push(eb('portgroup_uuid', '=', filter.portgroupUuid));
  }
  if (filter.address !== undefined) all.push(eb('address', '=', filter.address));
  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : eb.and(all);
}

export class KyselyPortRepository implements PortRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async create(port: NewPort): Promise<Port> {
    const ctx = this.#ctx;
    // Stamped by the store: the row's created_at, read back below.
    const record: Omit<Port, 'createdAt' | 'updatedAt'> = {
      ...PORT_DEFAULTS,
      ...defined(port),
      uuid: port.uuid ?? randomUUID(),
      nodeUuid: port.nodeUuid,
      address: port.address,
    };
    const row: Insertable<PortsTable> = {
      ...(portColumns(record) as Insertable<PortsTable>),
      uuid: record.uuid,
      created_at: now(ctx),
      updated_at: null,
    };
    await guard(
      ctx,
      () => ctx.db.insertInto('ports').values(row).execute(),
      this.#explain(record.uuid, record),
    );
    return portFromRow(row as Selectable<PortsTable>);
  }

  async get(ident: string): Promise<Port> {
    const row = await this.#ctx.db
      .selectFrom('ports')
      .selectAll()
      .where(isUuid(ident) ? 'uuid' : 'name', '=', ident)
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('PortNotFound', { port: ident });
    return portFromRow(row);
  }

  async list(filter: PortFilter = {}, page?: PageRequest<PortSortKey>): Promise<Port[]> {
    const ctx = this.#ctx;
    const keyset = await resolvePage(
      ctx,
      'ports',
      SORT_COLUMNS,
      page,
      'createdAt',
      (marker) => new FerriteError('PortNotFound', { port: marker }),
    );
    let query = ctx.db.selectFrom('ports').selectAll();
    const where = portFilter(ctx, filter);
    if (where !== undefined) query = query.where(where);
    const rows = await applyKeyset(query, keyset).execute();
    const ports: Port[] = new Array<Port>(rows.length);
    for (let i = 0; i < rows.length; i++) ports[i] = portFromRow(rows[i] as Selectable<PortsTable>);
    return ports;
  }

  async update(uuid: string, changes: PortChanges): Promise<Port> {
    const ctx = this.#ctx;
    const row = await guard(
      ctx,
      () =>
        ctx.db
          .updateTable('ports')
          .set({ ...portColumns(changes), updated_at: now(ctx) })
          .where('uuid', '=', uuid)
          .returningAll()
          .executeTakeFirst(),
      this.#explain(uuid, changes),
    );
    if (row === undefined) throw new FerriteError('PortNotFound', { port: uuid });
    return portFromRow(row);
  }

  async delete(uuid: string): Promise<void> {
    const ctx = this.#ctx;
    const result = await guard(ctx, () =>
      ctx.db.deleteFrom('ports').where('uuid', '=', uuid).executeTakeFirst(),
    );
    if (Number(result.numDeletedRows) === 0) {
      throw new FerriteError('PortNotFound', { port: uuid });
    }
  }

  #explain(uuid: string, values: PortChanges): Explain {
    const ctx = this.#ctx;
    return (failure) => {
      if (failure.kind === 'unique') {
        switch (failure.constraint) {
          case 'ports_pkey':
            return new FerriteError('PortAlreadyExists', { uuid });
          case 'ports_address_key':
            return new FerriteError('MACAlreadyExists', { mac: values.address });
          case 'ports_name_key':
            return new FerriteError('PortDuplicateName', { name: values.name });
          default:
            return undefined;
        }
      }
      return missingReference(ctx, failure, [
        {
          foreignKey: 'ports_node_uuid_fkey',
          table: 'nodes',
          column: 'uuid',
          value: values.nodeUuid,
          missing: () => new FerriteError('NodeNotFound', { node: values.nodeUuid }),
        },
        {
          foreignKey: 'ports_portgroup_uuid_fkey',
          table: 'portgroups',
          column: 'uuid',
          value: values.portgroupUuid,
          missing: () => new FerriteError('PortgroupNotFound', { portgroup: values.portgroupUuid }),
        },
      ]);
    };
  }
}
