import type { Selectable } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { Conductor, ConductorInterface } from '../../common/records.ts';
import { intBool, isoTimestamp } from '../codec.ts';
import { guard, inTransaction, now } from '../context.ts';
import type { StoreContext } from '../context.ts';
import { conductorFromRow, conductorInterfaceFromRow } from '../rows/conductor-row.ts';
import type { ConductorHardwareInterfacesTable, ConductorsTable } from '../schema.ts';
import type { ConductorRegistration, ConductorRepository } from '../store.ts';

/** Code-unit order, the same on both databases whatever their collation. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareInterfaces(a: ConductorInterface, b: ConductorInterface): number {
  return (
    compare(a.hardwareType, b.hardwareType) ||
    compare(a.interfaceType, b.interfaceType) ||
    compare(a.interfaceName, b.interfaceName)
  );
}

/** One row per (hardware type, interface type, implementation): the table's key. */
function uniqueInterfaces(interfaces: readonly ConductorInterface[]): ConductorInterface[] {
  const byKey = new Map<string, ConductorInterface>();
  for (const i of interfaces) {
    byKey.set(`${i.hardwareType}\0${i.interfaceType}\0${i.interfaceName}`, i);
  }
  return [...byKey.values()].sort(compareInterfaces);
}

export class KyselyConductorRepository implements ConductorRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async register(registration: ConductorRegistration): Promise<Conductor> {
    const ctx = this.#ctx;
    const at = now(ctx);
    const interfaces = uniqueInterfaces(registration.interfaces);
    const drivers = JSON.stringify([...new Set(registration.drivers)]);
    const row = await guard(ctx, () =>
      inTransaction(ctx, async (tx) => {
        // A restart re-registers the same hostname: keep its created_at.
        const stored = await tx.db
          .insertInto('conductors')
          .values({
            hostname: registration.hostname,
            conductor_group: registration.conductorGroup,
            online: 1,
            drivers,
            created_at: at,
            updated_at: at,
          })
          .onConflict((oc) =>
            oc.column('hostname').doUpdateSet({
              conductor_group: registration.conductorGroup,
              online: 1,
              drivers,
              updated_at: at,
            }),
          )
          .returningAll()
          .executeTakeFirstOrThrow();
        await tx.db
          .deleteFrom('conductor_hardware_interfaces')
          .where('conductor_hostname', '=', registration.hostname)
          .execute();
        if (interfaces.length > 0) {
          await tx.db
            .insertInto('conductor_hardware_interfaces')
            .values(
              interfaces.map((i) => ({
                conductor_hostname: registration.hostname,
                hardware_type: i.hardwareType,
                interface_type: i.interfaceType,
                interface_name: i.interfaceName,
                is_default: intBool(i.isDefault),
              })),
            )
            .execute();
        }
        return stored;
      }),
    );
    return conductorFromRow(row, interfaces);
  }

  async touch(hostname: string): Promise<void> {
    const ctx = this.#ctx;
    const result = await guard(ctx, () =>
      ctx.db
        .updateTable('conductors')
        .set({ updated_at: now(ctx), online: 1 })
        .where('hostname', '=', hostname)
        .executeTakeFirst(),
    );
    if (Number(result.numUpdatedRows) === 0) {
      throw new FerriteError('ConductorNotFound', { conductor: hostname });
    }
  }

  async unregister(hostname: string): Promise<void> {
    const ctx = this.#ctx;
    // The row and its interfaces stay (as Ironic keeps the row): `alive`
    // ignores offline conductors, and a restart registers again.
    const result = await guard(ctx, () =>
      ctx.db
        .updateTable('conductors')
        .set({ online: 0 })
        .where('hostname', '=', hostname)
        .executeTakeFirst(),
    );
    if (Number(result.numUpdatedRows) === 0) {
      throw new FerriteError('ConductorNotFound', { conductor: hostname });
    }
  }

  async get(hostname: string): Promise<Conductor> {
    const { db } = this.#ctx;
    const row = await db
      .selectFrom('conductors')
      .selectAll()
      .where('hostname', '=', hostname)
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('ConductorNotFound', { conductor: hostname });
    const interfaces = await db
      .selectFrom('conductor_hardware_interfaces')
      .selectAll()
      .where('conductor_hostname', '=', hostname)
      .execute();
    return conductorFromRow(row, interfaces.map(conductorInterfaceFromRow).sort(compareInterfaces));
  }

  async list(): Promise<Conductor[]> {
    const { db } = this.#ctx;
    const rows = await db.selectFrom('conductors').selectAll().execute();
    const interfaceRows = await db
      .selectFrom('conductor_hardware_interfaces')
      .selectAll()
      .execute();
    return joinInterfaces(rows, interfaceRows).sort((a, b) => compare(a.hostname, b.hostname));
  }

  async alive(since: Date): Promise<string[]> {
    const rows = await this.#ctx.db
      .selectFrom('conductors')
      .select('hostname')
      .where('online', '=', 1)
      .where('updated_at', '>=', isoTimestamp(since))
      .execute();
    return rows.map((r) => r.hostname).sort(compare);
  }
}

function joinInterfaces(
  rows: readonly Selectable<ConductorsTable>[],
  interfaceRows: readonly Selectable<ConductorHardwareInterfacesTable>[],
): Conductor[] {
  const byHost = new Map<string, ConductorInterface[]>();
  for (const row of interfaceRows) {
    const list = byHost.get(row.conductor_hostname);
    const item = conductorInterfaceFromRow(row);
    if (list === undefined) byHost.set(row.conductor_hostname, [item]);
    else list.push(item);
  }
  return rows.map((row) =>
    conductorFromRow(row, (byHost.get(row.hostname) ?? []).sort(compareInterfaces)),
  );
}
