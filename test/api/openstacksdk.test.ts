// openstacksdk (Debian's python3-openstacksdk, which the Bare Metal client
// brings along) against a real `ferrite serve`: the library Nova's and
// Ansible's bare-metal support are built on. scripts/ensure-openstack-client.sh
// installs it; under CI=true a missing library fails this suite.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startServe } from '../support/serve.ts';
import type { ServeProcess } from '../support/serve.ts';

const PYTHON = '/usr/bin/python3';

function sdkInstalled(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import openstack'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const CI = process.env['CI'] === 'true';
const installed = sdkInstalled();
const skip =
  !installed && !CI
    ? 'openstacksdk is not installed for /usr/bin/python3: run scripts/ensure-openstack-client.sh as root'
    : false;

/** Drives a node through its life with the SDK and prints what it saw, one JSON line. */
const SCRIPT = `
import json, sys, openstack
conn = openstack.connection.Connection(
    auth_type='none', baremetal_endpoint_override=sys.argv[1] + '/v1', baremetal_api_version='1')
seen = {'drivers': sorted(d.name for d in conn.baremetal.drivers())}
node = conn.baremetal.create_node(driver='fake-hardware', name='sdk-1',
                                  driver_info={'fake_password': sys.argv[2]}, provision_state='enroll')
seen['created'] = [node.provision_state, node.driver_info]
node = conn.baremetal.set_node_provision_state(node, 'manage', wait=True, timeout=60)
node = conn.baremetal.set_node_provision_state(node, 'provide', wait=True, timeout=60)
seen['provided'] = node.provision_state
conn.baremetal.patch_node(node, [{'op': 'add', 'path': '/instance_info/image_source',
                                  'value': 'http://images.example.org/a.img'}])
conn.baremetal.set_node_traits(node, ['CUSTOM_SDK'])
node = conn.baremetal.set_node_provision_state(node, 'active', wait=True, timeout=60)
seen['deployed'] = [node.provision_state, node.power_state, sorted(node.traits)]
conn.baremetal.set_node_power_state(node, 'power off', wait=True, timeout=60)
seen['powered'] = conn.baremetal.get_node(node.id).power_state
port = conn.baremetal.create_port(node_uuid=node.id, address='52:54:00:5d:00:01')
seen['ports'] = [p.address for p in conn.baremetal.ports(node=node.id)]
conn.baremetal.delete_port(port)
node = conn.baremetal.set_node_provision_state(node, 'deleted', wait=True, timeout=60)
seen['undeployed'] = node.provision_state
conn.baremetal.set_node_provision_state(node, 'manage', wait=True, timeout=60)
conn.baremetal.delete_node(node)
seen['left'] = [n.name for n in conn.baremetal.nodes()]
print(json.dumps(seen))
`;

describe('openstacksdk against ferrite serve', { skip }, () => {
  let serve: ServeProcess | undefined;

  before(async () => {
    if (!installed) {
      throw new Error('CI=true and openstacksdk is not installed for /usr/bin/python3');
    }
    serve = await startServe('ferrite-sdk-');
  });
  after(async () => {
    await serve?.stop();
  });

  it('enrols, provisions, deploys, powers, undeploys and deletes a node', async () => {
    assert.ok(serve);
    const secret = `sdk-secret-${crypto.randomUUID()}`;
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>(
      (resolve, reject) =>
        execFile(
          PYTHON,
          ['-c', SCRIPT, serve?.url ?? '', secret],
          { timeout: 120_000, env: { HOME: serve?.dir ?? '/tmp', PATH: '/usr/bin:/bin' } },
          (error, out, err) =>
            error
              ? reject(new Error(`${error.message}\n${err}`))
              : resolve({ stdout: out, stderr: err }),
        ),
    );
    assert.doesNotMatch(stdout + stderr, new RegExp(secret), 'the password never leaves the API');
    const seen = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    assert.deepEqual(seen, {
      drivers: ['fake-hardware', 'ipmi', 'manual-management', 'redfish'],
      created: ['enroll', { fake_password: '******' }],
      provided: 'available',
      deployed: ['active', 'power on', ['CUSTOM_SDK']],
      powered: 'power off',
      ports: ['52:54:00:5d:00:01'],
      undeployed: 'available',
      left: [],
    });
  });
});
