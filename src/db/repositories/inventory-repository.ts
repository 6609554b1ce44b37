import { FerriteError } from '../../common/errors.ts';
import type { NodeInventory } from '../../common/records.ts';
import { jsonText } from '../codec.ts';
import { guard, missingReference, now } from '../context.ts';
import type { StoreContext } from '../context.ts';
import { nodeInventoryFromRow } from '../rows/node-inventory-row.ts';
import type { InventoryRepository } from '../store.ts';

export class KyselyInventoryRepository implements InventoryRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * One upsert statement (both databases speak ON CONFLICT): a re-inspection
   * replaces the data and keeps the first created_at.
   */
  async put(
    nodeUuid: string,
    data: Pick<NodeInventory, 'inventory' | 'pluginData'>,
  ): Promise<NodeInventory> {
    const ctx = this.#ctx;
    const at = now(ctx);
    const inventory = jsonText(data.inventory);
    const pluginData = jsonText(data.pluginData);
    const row = await guard(
      ctx,
      () =>
        ctx.db
          .insertInto('node_inventory')
          .values({
            node_uuid: nodeUuid,
            inventory,
            plugin_data: pluginData,
            created_at: at,
            updated_at: null,
          })
          .onConflict((oc) =>
            oc
              .column('node_uuid')
              .doUpdateSet({ inventory, plugin_data: pluginData, updated_at: at }),
          )
          .returningAll()
          .executeTakeFirstOrThrow(),
      (failure) =>
        missingReference(ctx, failure, [
          {
            foreignKey: 'node_inventory_node_uuid_fkey',
            table: 'nodes',
            column: 'uuid',
            value: nodeUuid,
            missing: () => new FerriteError('NodeNotFound', { node: nodeUuid }),
          },
        ]),
    );
    return nodeInventoryFromRow(row);
  }

  async get(nodeUuid: string): Promise<NodeInventory> {
    const row = await this.#ctx.db
      .selectFrom('node_inventory')
      .selectAll()
      .where('node_uuid', '=', nodeUuid)
      .executeTakeFirst();
    if (row === undefined) throw new FerriteError('NodeInventoryNotFound', { node: nodeUuid });
    return nodeInventoryFromRow(row);
  }

  async delete(nodeUuid: string): Promise<void> {
    const result = await this.#ctx.db
      .deleteFrom('node_inventory')
      .where('node_uuid', '=', nodeUuid)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new FerriteError('NodeInventoryNotFound', { node: nodeUuid });
    }
  }
}
