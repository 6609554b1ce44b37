import { randomUUID } from 'node:crypto';
import type { Expression, Insertable, Selectable, SqlBool } from 'kysely';
import { expressionBuilder } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { VolumeConnector, VolumeTarget } from '../../common/records.ts';
import { guard, missingReference, now } from '../context.ts';
import type { Explain, StoreContext } from '../context.ts';
import {
  connectorColumns,
  connectorFromRow,
  targetColumns,
  targetFromRow,
} from '../rows/volume-row.ts';
import type { Database, VolumeConnectorsTable, VolumeTargetsTable } from '../schema.ts';
import type {
  NewVolumeConnector,
  NewVolumeTarget,
  VolumeConnectorChanges,
  VolumeRepository,
  VolumeTargetChanges,
} from '../store.ts';
import { defined } from './record-helpers.ts';

interface VolumeFilter {
  readonly nodeUuid?: string;
  readonly nodeUuids?: readonly string[];
}

type VolumeTable = 'volume_connectors' | 'volume_targets';

function volumeFilter(ctx: StoreContext, filter: VolumeFilter): Expression<SqlBool> | undefined {
  const eb = expressionBuilder<Database, VolumeTable>();
  const all: Expression<SqlBool>[] = [];
  if (filter.nodeUuid !== undefined) all.push(eb('node_uuid', '=', filter.nodeUuid));
  if (filter.nodeUuids !== undefined) {
    all.push(ctx.dialect.inList('node_uuid', ctx.dialect.list(filter.nodeUuids)));
  }
  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : eb.and(all);
}

function nodeReference(ctx: StoreContext, table: VolumeTable, nodeUuid: string | undefined) {
  return (failure: Parameters<Explain>[0]) =>
    missingReference(ctx, failure, [
      {
        foreignKey: `${table}_node_uuid_fkey`,
        table: 'nodes',
        column: 'uuid',
        value: nodeUuid,
        missing: () => new FerriteError('NodeNotFound', { node: nodeUuid }),
      },
    ]);
}

/** Volume connectors and targets: both hang off a node and go with it. */
export class KyselyVolumeRepository implements VolumeRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async createConnector(connector: NewVolumeConnector): Promise<VolumeConnector> {
    const ctx = this.#ctx;
    // Stamped by the store: the row's created_at, read back below.
    const record: Omit<VolumeConnector, 'createdAt' | 'updatedAt'> = {
      uuid: connector.uuid ?? randomUUID(),
      nodeUuid: connector.nodeUuid,
      type: connector.type,
      connectorId: connector.connectorId,
      extra: connector.extra ?? {},
    };
    const row: Insertable<VolumeConnectorsTable> = {
      ...(connectorColumns(record) as Insertable<VolumeConnectorsTable>),
      uuid: record.uuid,
      created_at: now(ctx),
      updated_at: null,
    };
    await guard(
      ctx,
      () => ctx.db.insertInto('volume_connectors').values(row).execute(),
      this.#explainConnector(record),
    );
    return connectorFromRow(row as Selectable<VolumeConnectorsTable>);
  }

  async getConnector(uuid: string): Promise<VolumeConnector> {
    const row = await this.#ctx.db
      .selectFrom('volume_connectors')
      .selectAll()
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('VolumeConnectorNotFound', { connector: uuid });
    return connectorFromRow(row);
  }

  async listConnectors(filter: VolumeFilter = {}): Promise<VolumeConnector[]> {
    const ctx = this.#ctx;
    let query = ctx.db.selectFrom('volume_connectors').selectAll();
    const where = volumeFilter(ctx, filter);
    if (where !== undefined) query = query.where(where);
    const rows = await query.orderBy('created_at').orderBy('uuid').execute();
    const connectors = new Array<VolumeConnector>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      connectors[i] = connectorFromRow(rows[i] as Selectable<VolumeConnectorsTable>);
    }
    return connectors;
  }

  async updateConnector(uuid: string, changes: VolumeConnectorChanges): Promise<VolumeConnector> {
    const ctx = this.#ctx;
    // Read first: a (type, connector_id) conflict is reported with both
    // values, and the change may carry only one of them.
    const current = await this.getConnector(uuid);
    const row = await guard(
      ctx,
      () =>
        ctx.db
          .updateTable('volume_connectors')
          .set({ ...connectorColumns(changes), updated_at: now(ctx) })
          .where('uuid', '=', uuid)
          .returningAll()
          .executeTakeFirst(),
      this.#explainConnector({ ...current, ...defined(changes) }),
    );
    if (row === undefined) throw new FerriteError('VolumeConnectorNotFound', { connector: uuid });
    return connectorFromRow(row);
  }

  async deleteConnector(uuid: string): Promise<void> {
    const result = await this.#ctx.db
      .deleteFrom('volume_connectors')
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new FerriteError('VolumeConnectorNotFound', { connector: uuid });
    }
  }

  async createTarget(target: NewVolumeTarget): Promise<VolumeTarget> {
    const ctx = this.#ctx;
    // Stamped by the store: the row's created_at, read back below.
    const record: Omit<VolumeTarget, 'createdAt' | 'updatedAt'> = {
      uuid: target.uuid ?? randomUUID(),
      nodeUuid: target.nodeUuid,
      volumeType: target.volumeType,
      volumeId: target.volumeId,
      bootIndex: target.bootIndex,
      properties: target.properties ?? {},
      extra: target.extra ?? {},
    };
    const row: Insertable<VolumeTargetsTable> = {
      ...(targetColumns(record) as Insertable<VolumeTargetsTable>),
      uuid: record.uuid,
      created_at: now(ctx),
      updated_at: null,
    };
    await guard(
      ctx,
      () => ctx.db.insertInto('volume_targets').values(row).execute(),
      this.#explainTarget(record),
    );
    return targetFromRow(row as Selectable<VolumeTargetsTable>);
  }

  async getTarget(uuid: string): Promise<VolumeTarget> {
    const row = await this.#ctx.db
      .selectFrom('volume_targets')
      .selectAll()
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('VolumeTargetNotFound', { target: uuid });
    return targetFromRow(row);
  }

  async listTargets(filter: VolumeFilter = {}): Promise<VolumeTarget[]> {
    const ctx = this.#ctx;
    let query = ctx.db.selectFrom('volume_targets').selectAll();
    const where = volumeFilter(ctx, filter);
    if (where !== undefined) query = query.where(where);
    const rows = await query.orderBy('created_at').orderBy('uuid').execute();
    const targets = new Array<VolumeTarget>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      targets[i] = targetFromRow(rows[i] as Selectable<VolumeTargetsTable>);
    }
    return targets;
  }

  async updateTarget(uuid: string, changes: VolumeTargetChanges): Promise<VolumeTarget> {
    const ctx = this.#ctx;
    // Read first: a boot index conflict may come from moving the target to
    // another node without changing its index.
    const current = await this.getTarget(uuid);
    const row = await guard(
      ctx,
      () =>
        ctx.db
          .updateTable('volume_targets')
          .set({ ...targetColumns(changes), updated_at: now(ctx) })
          .where('uuid', '=', uuid)
          .returningAll()
          .executeTakeFirst(),
      this.#explainTarget({ ...current, ...defined(changes) }),
    );
    if (row === undefined) throw new FerriteError('VolumeTargetNotFound', { target: uuid });
    return targetFromRow(row);
  }

  async deleteTarget(uuid: string): Promise<void> {
    const result = await this.#ctx.db
      .deleteFrom('volume_targets')
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new FerriteError('VolumeTargetNotFound', { target: uuid });
    }
  }

  #explainConnector(values: Omit<VolumeConnector, 'createdAt' | 'updatedAt'>): Explain {
    const references = nodeReference(this.#ctx, 'volume_connectors', values.nodeUuid);
    return (failure) => {
      if (failure.kind !== 'unique') return references(failure);
      switch (failure.constraint) {
        case 'volume_connectors_pkey':
          return new FerriteError('VolumeConnectorAlreadyExists', { uuid: values.uuid });
        case 'volume_connectors_type_connector_id_key':
          return new FerriteError('VolumeConnectorTypeAndIdAlreadyExists', {
            type: values.type,
            connector_id: values.connectorId,
          });
        default:
          return undefined;
      }
    };
  }

  #explainTarget(values: Omit<VolumeTarget, 'createdAt' | 'updatedAt'>): Explain {
    const references = nodeReference(this.#ctx, 'volume_targets', values.nodeUuid);
    return (failure) => {
      if (failure.kind !== 'unique') return references(failure);
      switch (failure.constraint) {
        case 'volume_targets_pkey':
          return new FerriteError('VolumeTargetAlreadyExists', { uuid: values.uuid });
        case 'volume_targets_node_uuid_boot_index_key':
          return new FerriteError('VolumeTargetBootIndexAlreadyExists', {
            boot_index: values.bootIndex,
          });
        default:
          return undefined;
      }
    };
  }
}
