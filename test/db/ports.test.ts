import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { Store } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';
import { makePort, makePortgroup } from '../support/node.ts';
import { rejectsWith } from './assertions.ts';

async function twoNodes(store: Store): Promise<[string, string]> {
  const a = await store.nodes.create({ driver: 'd' });
  const b = await store.nodes.create({ driver: 'd' });
  return [a.uuid, b.uuid];
}

forEachDatabase((db) => {
  it('creates a port with defaults and round-trips every field', async () => {
    // The helpers' records are created at the epoch: so is everything here.
    const store = await db.open({ clock: new SimulatedClock(0) });
    const [node] = await twoNodes(store);
    const plain = await store.ports.create({ nodeUuid: node, address: '52:54:00:00:00:01' });
    assert.deepEqual(plain, {
      ...makePort(node, { uuid: plain.uuid, address: '52:54:00:00:00:01' }),
    });
    const group = await store.portgroups.create({ nodeUuid: node });
    const rich = makePort(node, {
      name: 'eth0',
      localLinkConnection: {
        switch_id: '0a:1b:2c:3d:4e:5f',
        port_id: 'Eth1/1',
        extra: [1, { a: null }],
      },
      pxeEnabled: false,
      physicalNetwork: 'physnet1',
      portgroupUuid: group.uuid,
      internalInfo: { tenant_vif_port_id: 'vif-1' },
      extra: { rack: 'r1' },
      isSmartnic: true,
    });
    assert.deepEqual(await store.ports.create(rich), rich);
    assert.deepEqual(await store.ports.get(rich.uuid), rich);
    assert.deepEqual(await store.ports.get('eth0'), rich);
    assert.deepEqual(await store.ports.get(plain.uuid), plain);
  });

  it('updates only the given port fields, stamping updatedAt; PortNotFound for a missing port', async () => {
    const clock = new SimulatedClock(0);
    const store = await db.open({ clock });
    const [a, b] = await twoNodes(store);
    const port = await store.ports.create(makePort(a, { extra: { x: 1 } }));
    assert.deepEqual(
      port,
      makePort(a, { uuid: port.uuid, address: port.address, extra: { x: 1 } }),
    );
    await clock.advance(7);
    const moved = await store.ports.update(port.uuid, { nodeUuid: b, pxeEnabled: false });
    assert.deepEqual(moved, { ...port, nodeUuid: b, pxeEnabled: false, updatedAt: new Date(7) });
    assert.deepEqual(await store.ports.get(port.uuid), moved);
    const missing = randomUUID();
    await rejectsWith(store.ports.update(missing, { name: 'x' }), 'PortNotFound', missing);
    await rejectsWith(store.ports.get(missing), 'PortNotFound', missing);
    await rejectsWith(store.ports.get('no-such-port'), 'PortNotFound', 'no-such-port');
    await store.ports.delete(port.uuid);
    await rejectsWith(store.ports.delete(port.uuid), 'PortNotFound');
  });

  it('refuses a duplicate MAC (MACAlreadyExists with the MAC), name or uuid', async () => {
    const store = await db.open();
    const [a, b] = await twoNodes(store);
    const port = await store.ports.create(
      makePort(a, { address: '52:54:00:aa:bb:cc', name: 'p1' }),
    );
    await rejectsWith(
      store.ports.create(makePort(b, { address: '52:54:00:aa:bb:cc' })),
      'MACAlreadyExists',
      '52:54:00:aa:bb:cc',
    );
    const other = await store.ports.create(makePort(b));
    await rejectsWith(
      store.ports.update(other.uuid, { address: '52:54:00:aa:bb:cc' }),
      'MACAlreadyExists',
      '52:54:00:aa:bb:cc',
    );
    await rejectsWith(store.ports.create(makePort(b, { name: 'p1' })), 'PortDuplicateName', 'p1');
    await rejectsWith(store.ports.update(other.uuid, { name: 'p1' }), 'PortDuplicateName', 'p1');
    await rejectsWith(
      store.ports.create(makePort(b, { uuid: port.uuid })),
      'PortAlreadyExists',
      port.uuid,
    );
    assert.equal((await store.ports.list()).length, 2);
  });

  it('refuses a port on a missing node (NodeNotFound) or in a missing portgroup (PortgroupNotFound)', async () => {
    const store = await db.open();
    const [node] = await twoNodes(store);
    const missing = randomUUID();
    await rejectsWith(store.ports.create(makePort(missing)), 'NodeNotFound', missing);
    await rejectsWith(
      store.ports.create(makePort(node, { portgroupUuid: missing })),
      'PortgroupNotFound',
      missing,
    );
    const port = await store.ports.create(makePort(node));
    await rejectsWith(
      store.ports.update(port.uuid, { nodeUuid: missing }),
      'NodeNotFound',
      missing,
    );
    await rejectsWith(
      store.ports.update(port.uuid, { portgroupUuid: missing }),
      'PortgroupNotFound',
      missing,
    );
  });

  it('lists ports by node, nodes, portgroup and address, with pages', async () => {
    const store = await db.open();
    const [a, b] = await twoNodes(store);
    const c = (await store.nodes.create({ driver: 'd' })).uuid;
    const group = await store.portgroups.create(makePortgroup(a));
    const onA = [];
    for (let i = 0; i < 7; i++) {
      onA.push(await store.ports.create(makePort(a, { portgroupUuid: i < 3 ? group.uuid : null })));
    }
    const onB = await store.ports.create(makePort(b));
    const onC = await store.ports.create(makePort(c));
    const uuids = (ports: { uuid: string }[]) => ports.map((p) => p.uuid).sort();

    assert.deepEqual(uuids(await store.ports.list({ nodeUuid: a })), uuids(onA));
    assert.deepEqual(uuids(await store.ports.list({ nodeUuids: [b, c] })), uuids([onB, onC]));
    assert.deepEqual(await store.ports.list({ nodeUuids: [] }), []);
    assert.deepEqual(
      uuids(await store.ports.list({ portgroupUuid: group.uuid })),
      uuids(onA.slice(0, 3)),
    );
    assert.deepEqual(await store.ports.list({ address: onB.address }), [onB]);
    assert.deepEqual(await store.ports.list({ nodeUuid: a, address: onB.address }), []);

    const byAddressDesc = [...onA].sort((x, y) => (x.address < y.address ? 1 : -1));
    const seen = [];
    let marker: string | undefined;
    for (;;) {
      const page = await store.ports.list(
        { nodeUuid: a },
        { limit: 3, marker, sortKey: 'address', sortDir: 'desc' },
      );
      seen.push(...page);
      if (page.length < 3) break;
      marker = page.at(-1)?.uuid;
    }
    assert.deepEqual(seen, byAddressDesc);
  });

  it('creates, gets (by uuid or name), updates and lists portgroups', async () => {
    const clock = new SimulatedClock(0);
    const store = await db.open({ clock });
    const [a, b] = await twoNodes(store);
    const plain = await store.portgroups.create({ nodeUuid: a });
    assert.deepEqual(plain, makePortgroup(a, { uuid: plain.uuid }));
    const rich = makePortgroup(b, {
      name: 'bond0',
      address: '52:54:00:12:34:56',
      mode: '802.3ad',
      properties: { miimon: '100', xmit_hash_policy: 'layer3+4' },
      standalonePortsSupported: false,
      internalInfo: { tenant_vif_port_id: 'vif' },
      extra: { a: [1, 2] },
    });
    assert.deepEqual(await store.portgroups.create(rich), rich);
    assert.deepEqual(await store.portgroups.get('bond0'), rich);
    assert.deepEqual(await store.portgroups.get(rich.uuid), rich);
    await clock.advance(3);
    const updated = await store.portgroups.update(rich.uuid, { mode: 'active-backup', name: null });
    assert.deepEqual(updated, {
      ...rich,
      mode: 'active-backup',
      name: null,
      updatedAt: new Date(3),
    });
    assert.deepEqual(await store.portgroups.list({ nodeUuid: b }), [updated]);
    assert.deepEqual(await store.portgroups.list({ nodeUuids: [a] }), [plain]);
    assert.deepEqual(await store.portgroups.list({ address: '52:54:00:12:34:56' }), [updated]);
    assert.equal(
      (await store.portgroups.list({}, { sortKey: 'address', sortDir: 'asc' }))[0]?.uuid,
      plain.uuid,
    );
    const missing = randomUUID();
    await rejectsWith(store.portgroups.get(missing), 'PortgroupNotFound', missing);
    await rejectsWith(store.portgroups.update(missing, { mode: 'x' }), 'PortgroupNotFound');
  });

  it('refuses a duplicate portgroup name, MAC or uuid, and a portgroup on a missing node', async () => {
    const store = await db.open();
    const [a, b] = await twoNodes(store);
    const group = await store.portgroups.create(
      makePortgroup(a, { name: 'bond0', address: '52:54:00:ff:00:01' }),
    );
    await rejectsWith(
      store.portgroups.create(makePortgroup(b, { name: 'bond0' })),
      'PortgroupDuplicateName',
      'bond0',
    );
    await rejectsWith(
      store.portgroups.create(makePortgroup(b, { address: '52:54:00:ff:00:01' })),
      'PortgroupMACAlreadyExists',
      '52:54:00:ff:00:01',
    );
    await rejectsWith(
      store.portgroups.create(makePortgroup(b, { uuid: group.uuid })),
      'PortgroupAlreadyExists',
      group.uuid,
    );
    const missing = randomUUID();
    await rejectsWith(store.portgroups.create(makePortgroup(missing)), 'NodeNotFound', missing);
    const other = await store.portgroups.create(makePortgroup(b));
    await rejectsWith(
      store.portgroups.update(other.uuid, { name: 'bond0' }),
      'PortgroupDuplicateName',
      'bond0',
    );
  });

  it('refuses to delete a portgroup that still has ports (PortgroupNotEmpty)', async () => {
    const store = await db.open();
    const [a] = await twoNodes(store);
    const group = await store.portgroups.create(makePortgroup(a));
    const port = await store.ports.create(makePort(a, { portgroupUuid: group.uuid }));
    await rejectsWith(store.portgroups.delete(group.uuid), 'PortgroupNotEmpty', group.uuid);
    assert.deepEqual(await store.portgroups.get(group.uuid), group);
    await store.ports.update(port.uuid, { portgroupUuid: null });
    await store.portgroups.delete(group.uuid);
    await rejectsWith(store.portgroups.get(group.uuid), 'PortgroupNotFound');
    await rejectsWith(store.portgroups.delete(group.uuid), 'PortgroupNotFound');
  });
});
