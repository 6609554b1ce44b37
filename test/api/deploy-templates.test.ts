import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/db/store.ts';
import { faultOf, startApi, TEST_SECRET } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';
import { bodyOf, caller, itemsOf, nextPath } from '../support/resource-api.ts';
import type { Call } from '../support/resource-api.ts';

const GHOST = '5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f';

const RAID_STEP = {
  interface: 'raid',
  step: 'apply_configuration',
  args: { raid_config: { logical_disks: [{ size_gb: 10, raid_level: '1' }] } },
  priority: 90,
};

describe('deploy templates API', () => {
  let harness: ApiHarness;
  let store: Store;
  let call: Call;

  before(async () => {
    harness = await startApi();
    store = harness.store;
    call = caller(harness.api);
  });
  after(() => harness.close());

  const snapshot = async () =>
    JSON.stringify(await store.deployTemplates.list({ sortKey: 'uuid' }));
  const create = (payload: unknown, version?: string) =>
    call({
      method: 'POST',
      url: '/v1/deploy_templates',
      payload: payload as object,
      ...(version !== undefined ? { version } : {}),
    });

  it('creates and shows a template, masking secrets in step arguments', async () => {
    const res = await create({
      name: 'CUSTOM_BIOS',
      steps: [
        {
          interface: 'bios',
          step: 'apply_configuration',
          args: { settings: [{ name: 'admin_password', value: 'x' }], admin_password: TEST_SECRET },
          priority: '110',
        },
      ],
      extra: { owner: 'ops' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const template = bodyOf(res);
    const uuid = String(template['uuid']);
    assert.match(String(res.headers['location']), new RegExp(`/v1/deploy_templates/${uuid}$`));
    assert.deepEqual(Object.keys(template).sort(), [
      'created_at',
      'extra',
      'links',
      'name',
      'steps',
      'updated_at',
      'uuid',
    ]);
    const [step] = template['steps'] as { priority: unknown; args: Record<string, unknown> }[];
    assert.ok(step);
    // Priorities given as digit strings are stored as numbers.
    assert.equal(step.priority, 110);
    assert.equal(step.args['admin_password'], '******');
    // The stored step keeps the real value for the conductor.
    assert.equal(
      (await store.deployTemplates.get(uuid)).steps[0]?.args['admin_password'],
      TEST_SECRET,
    );

    const byName = await call({
      method: 'GET',
      url: '/v1/deploy_templates/CUSTOM_BIOS?fields=name',
    });
    assert.deepEqual(Object.keys(bodyOf(byName)).sort(), ['links', 'name']);
    assert.equal(
      (await call({ method: 'GET', url: `/v1/deploy_templates/${GHOST}` })).statusCode,
      404,
    );
    assert.equal(
      (await call({ method: 'GET', url: '/v1/deploy_templates/a%20b' })).statusCode,
      400,
    );
    assert.equal((await create({ name: 'CUSTOM_BIOS', steps: [RAID_STEP] })).statusCode, 409);
    assert.equal(
      (await create({ name: 'CUSTOM_OTHER', uuid, steps: [RAID_STEP] })).statusCode,
      409,
    );
  });

  it('refuses malformed templates, storing nothing', async () => {
    const before = await snapshot();
    const step = (changes: object) => ({ name: 'CUSTOM_T', steps: [{ ...RAID_STEP, ...changes }] });
    const cases: [unknown, number, RegExp, string?][] = [
      [{ steps: [RAID_STEP] }, 400, /name/],
      [{ name: 'CUSTOM_T' }, 400, /steps/],
      [{ name: null, steps: [RAID_STEP] }, 400, /name cannot be None/],
      [{ name: 'raid1', steps: [RAID_STEP] }, 400, /name must be a valid trait/],
      [{ name: 'CUSTOM_T', steps: [] }, 400, /at least one deploy step/],
      [{ name: 'CUSTOM_T', steps: null }, 400, /at least one deploy step/],
      [{ name: 'CUSTOM_T', steps: ['raid'] }, 400, /steps\[0\] must be an object/],
      [
        step({ interface: 'vendor' }),
        400,
        /interface must be one of power, management, deploy, bios, raid/,
      ],
      [step({ step: '' }), 400, /step must be a non-empty string/],
      [step({ args: [] }), 400, /args must be an object/],
      [step({ priority: -1 }), 400, /priority must be a non-negative integer/],
      [step({ priority: 1.5 }), 400, /priority/],
      [step({ priority: 'high' }), 400, /priority/],
      [step({ colour: 'red' }), 400, /unknown field\(s\) colour/],
      [
        { name: 'CUSTOM_T', steps: [{ interface: 'raid', step: 'x', args: {} }] },
        400,
        /lacks priority/,
      ],
      [
        { name: 'CUSTOM_T', steps: [RAID_STEP, RAID_STEP] },
        400,
        /Duplicate deploy steps.*interface: raid, step: apply_configuration/,
      ],
      [{ name: 'CUSTOM_T', steps: [RAID_STEP], uuid: 'nope' }, 400, /Expected a UUID/],
      [{ name: 'CUSTOM_T', steps: [RAID_STEP], extra: 'x' }, 400, /extra/],
      [{ name: 'CUSTOM_T', steps: [RAID_STEP], colour: 1 }, 400, /colour/],
      [{ name: 'CUSTOM_T', steps: [RAID_STEP] }, 405, /does not allow deploy templates/, '1.54'],
    ];
    for (const [payload, status, message, version] of cases) {
      const res = await create(payload, version);
      assert.equal(res.statusCode, status, `${JSON.stringify(payload)}: ${res.body}`);
      assert.match(faultOf(res.body), message);
    }
    assert.equal(await snapshot(), before);
  });

  it('lists templates in pages, with detail and fields', async () => {
    for (const name of ['CUSTOM_L1', 'CUSTOM_L2', 'CUSTOM_L3']) {
      assert.equal((await create({ name, steps: [RAID_STEP] })).statusCode, 201);
    }
    const plain = itemsOf(
      await call({ method: 'GET', url: '/v1/deploy_templates' }),
      'deploy_templates',
    );
    assert.equal(plain.length, 4);
    assert.deepEqual(Object.keys(plain[0] ?? {}).sort(), ['links', 'name', 'uuid']);
    const detail = itemsOf(
      await call({ method: 'GET', url: '/v1/deploy_templates/detail' }),
      'deploy_templates',
    );
    assert.ok('steps' in (detail[0] ?? {}));
    const detailArg = itemsOf(
      await call({ method: 'GET', url: '/v1/deploy_templates?detail=true' }),
      'deploy_templates',
    );
    assert.ok('extra' in (detailArg[0] ?? {}));

    const first = await call({
      method: 'GET',
      url: '/v1/deploy_templates?limit=3&sort_key=name&sort_dir=desc&fields=name',
    });
    const page1 = itemsOf(first, 'deploy_templates');
    assert.deepEqual(
      page1.map((t) => t['name']),
      ['CUSTOM_L3', 'CUSTOM_L2', 'CUSTOM_L1'],
    );
    const next = nextPath(first);
    assert.ok(next);
    const page2 = itemsOf(await call({ method: 'GET', url: next }), 'deploy_templates');
    assert.deepEqual(
      page2.map((t) => t['name']),
      ['CUSTOM_BIOS'],
    );

    const refusals: [string, number][] = [
      ['/v1/deploy_templates?sort_key=steps', 400],
      ['/v1/deploy_templates?fields=colour', 400],
      ['/v1/deploy_templates?detail=true&fields=name', 400],
      ['/v1/deploy_templates?marker=nope', 400],
      ['/v1/deploy_templates?colour=red', 400],
    ];
    for (const [url, status] of refusals) {
      assert.equal((await call({ method: 'GET', url })).statusCode, status, url);
    }
    const old = await call({ method: 'GET', url: '/v1/deploy_templates', version: '1.54' });
    assert.equal(old.statusCode, 404);
    const oldOne = await call({
      method: 'GET',
      url: '/v1/deploy_templates/CUSTOM_L1',
      version: '1.54',
    });
    assert.equal(oldOne.statusCode, 404);
  });

  it('patches name, extra and steps, checking the patched template whole', async () => {
    const patch = (payload: object, ident = 'CUSTOM_L1') =>
      call({ method: 'PATCH', url: `/v1/deploy_templates/${ident}`, payload });
    const ok = await patch([
      { op: 'replace', path: '/name', value: 'CUSTOM_P1' },
      { op: 'replace', path: '/steps/0/priority', value: 50 },
      {
        op: 'add',
        path: '/steps/-',
        value: { interface: 'deploy', step: 'erase', args: {}, priority: 0 },
      },
      { op: 'add', path: '/extra/k', value: 'v' },
    ]);
    assert.equal(ok.statusCode, 200, ok.body);
    const patched = bodyOf(ok);
    assert.equal(patched['name'], 'CUSTOM_P1');
    assert.deepEqual(
      (patched['steps'] as Record<string, unknown>[]).map((s) => [s['step'], s['priority']]),
      [
        ['apply_configuration', 50],
        ['erase', 0],
      ],
    );
    assert.deepEqual(patched['extra'], { k: 'v' });

    const before = await snapshot();
    const refusals: [object, RegExp][] = [
      [[{ op: 'replace', path: '/name', value: 'lower' }], /must be a valid trait/],
      [[{ op: 'remove', path: '/name' }], /mandatory attribute/],
      [[{ op: 'remove', path: '/steps' }], /mandatory attribute/],
      [[{ op: 'replace', path: '/steps', value: [] }], /at least one deploy step/],
      [[{ op: 'replace', path: '/steps/1/interface', value: 'vendor' }], /interface must be/],
      [
        [
          { op: 'replace', path: '/steps/0/interface', value: 'deploy' },
          { op: 'replace', path: '/steps/0/step', value: 'erase' },
        ],
        /Duplicate deploy steps/,
      ],
      [[{ op: 'replace', path: '/steps/0/priority', value: -5 }], /priority/],
      [[{ op: 'remove', path: '/steps/0/args' }], /lacks args/],
      [[{ op: 'replace', path: '/uuid', value: GHOST }], /internal attribute/],
      [[{ op: 'add', path: '/colour', value: 'red' }], /Cannot patch \/colour/],
      [[{ op: 'replace', path: '/steps/9/priority', value: 1 }], /not a valid index/],
    ];
    for (const [payload, message] of refusals) {
      const r = await patch(payload, 'CUSTOM_P1');
      assert.equal(r.statusCode, 400, `${JSON.stringify(payload)}: ${r.body}`);
      assert.match(faultOf(r.body), message);
    }
    assert.equal(await snapshot(), before);
    const taken = await patch([{ op: 'replace', path: '/name', value: 'CUSTOM_L2' }], 'CUSTOM_P1');
    assert.equal(taken.statusCode, 409);
    assert.equal((await patch([], GHOST)).statusCode, 404);
    const old = await call({
      method: 'PATCH',
      url: '/v1/deploy_templates/CUSTOM_P1',
      payload: [{ op: 'add', path: '/extra/x', value: 1 }],
      version: '1.54',
    });
    assert.equal(old.statusCode, 405);
  });

  it('deletes templates', async () => {
    assert.equal(
      (await call({ method: 'DELETE', url: '/v1/deploy_templates/CUSTOM_L3' })).statusCode,
      204,
    );
    assert.equal(
      (await call({ method: 'GET', url: '/v1/deploy_templates/CUSTOM_L3' })).statusCode,
      404,
    );
    assert.equal(
      (await call({ method: 'DELETE', url: '/v1/deploy_templates/CUSTOM_L3' })).statusCode,
      404,
    );
    const old = await call({
      method: 'DELETE',
      url: '/v1/deploy_templates/CUSTOM_L2',
      version: '1.54',
    });
    assert.equal(old.statusCode, 405);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/deploy_templates/CUSTOM_L2' })).statusCode,
      200,
    );
  });

  it('runs the steps of the template the instance asks for when deployed through the API', async () => {
    const template = await create({ name: 'CUSTOM_X', steps: [RAID_STEP] });
    assert.equal(template.statusCode, 201, template.body);
    const created = await call({
      method: 'POST',
      url: '/v1/nodes',
      payload: { name: 'raid-node', driver: 'fake-hardware' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const traits = await call({
      method: 'PUT',
      url: '/v1/nodes/raid-node/traits',
      payload: { traits: ['CUSTOM_X'] },
    });
    assert.equal(traits.statusCode, 204, traits.body);
    const info = await call({
      method: 'PATCH',
      url: '/v1/nodes/raid-node',
      payload: [{ op: 'add', path: '/instance_info/traits', value: ['CUSTOM_X'] }],
    });
    assert.equal(info.statusCode, 200, info.body);
    for (const target of ['manage', 'provide', 'active']) {
      const res = await call({
        method: 'PUT',
        url: '/v1/nodes/raid-node/states/provision',
        payload: { target },
      });
      assert.equal(res.statusCode, 202, `${target}: ${res.body}`);
      await harness.h.settle();
    }
    const node = bodyOf(await call({ method: 'GET', url: '/v1/nodes/raid-node' }));
    assert.equal(node['provision_state'], 'active', String(node['last_error']));
    const raid = node['raid_config'] as { logical_disks?: { raid_level: string }[] };
    assert.deepEqual(
      (raid.logical_disks ?? []).map((d) => d.raid_level),
      ['1'],
      'the template step ran',
    );
  });
});
