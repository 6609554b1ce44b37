import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { Chassis } from '../../common/records.ts';
import { jsonText } from '../codec.ts';
import { exists, guard, inTransaction, now } from '../context.ts';
import type { StoreContext } from '../context.ts';
import { applyKeyset, resolvePage } from '../pagination.ts';
import type { SortColumn } from '../pagination.ts';
import { chassisFromRow } from '../rows/chassis-row.ts';
import type { ChassisTable } from '../schema.ts';
import type { ChassisRepository, NewChassis, PageRequest } from '../store.ts';

type ChassisSortKey = 'uuid' | 'createdAt';

const SORT_COLUMNS: Readonly<Record<ChassisSortKey, SortColumn>> = {
  uuid: { column: 'uuid', nullable: false },
  createdAt: { column: 'created_at', nullable: false },
};

export class KyselyChassisRepository implements ChassisRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async create(chassis: NewChassis): Promise<Chassis> {
    const ctx = this.#ctx;
    const row: Selectable<ChassisTable> = {
      uuid: chassis.uuid ?? randomUUID(),
      description: chassis.description ?? null,
      extra: jsonText(chassis.extra ?? {}),
      created_at: now(ctx),
      updated_at: null,
    };
    await guard(
      ctx,
      () => ctx.db.insertInto('chassis').values(row).execute(),
      (failure) =>
        failure.kind === 'unique'
          ? new FerriteError('ChassisAlreadyExists', { uuid: row.uuid })
          : undefined,
    );
    return chassisFromRow(row);
  }

  async get(uuid: string): Promise<Chassis> {
    const row = await this.#ctx.db
      .selectFrom('chassis')
      .selectAll()
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('ChassisNotFound', { chassis: uuid });
    return chassisFromRow(row);
  }

  async list(page?: PageRequest<ChassisSortKey>): Promise<Chassis[]> {
    const ctx = this.#ctx;
    const keyset = await resolvePage(
      ctx,
      'chassis',
      SORT_COLUMNS,
      page,
      'createdAt',
      (marker) => new FerriteError('ChassisNotFound', { chassis: marker }),
    );
    const rows = await applyKeyset(ctx.db.selectFrom('chassis').selectAll(), keyset).execute();
    const chassis: Chassis[] = new Array<Chassis>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      chassis[i] = chassisFromRow(rows[i] as Selectable<ChassisTable>);
    }
    return chassis;
  }

  async update(
    uuid: string,
    changes: Partial<Pick<Chassis, 'description' | 'extra'>>,
  ): Promise<Chassis> {
    const ctx = this.#ctx;
    const row = await ctx.db
      .updateTable('chassis')
      .set({
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.extra !== undefined && { extra: jsonText(changes.extra) }),
        updated_at: now(ctx),
      })
      .where('uuid', '=', uuid)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('ChassisNotFound', { chassis: uuid });
    return chassisFromRow(row);
  }

  async delete(uuid: string): Promise<void> {
    const ctx = this.#ctx;
    const notEmpty = () => new FerriteError('ChassisNotEmpty', { chassis: uuid });
    await guard(
      ctx,
      () =>
        inTransaction(ctx, async (tx) => {
          if (await exists(tx, 'nodes', 'chassis_uuid', uuid)) throw notEmpty();
          const result = await tx.db
            .deleteFrom('chassis')
            .where('uuid', '=', uuid)
            .executeTakeFirst();
          if (Number(result.numDeletedRows) === 0) {
            throw new FerriteError('ChassisNotFound', { chassis: uuid });
          }
        }),
      // A node enrolled in the chassis between the check and the delete.
      (failure) => (failure.kind === 'foreignKey' ? notEmpty() : undefined),
    );
  }
}
