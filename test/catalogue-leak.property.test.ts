// Property: for every API connector in the catalogue and random fake organisations (seed, 1-12
// people), no personal value the simulator put in a response comes out of the proxy, on any of the
// connector's example calls. Few runs per connector keep the file fast; the seeds vary per run.
// Down to one person: simulators cast people by position through `person`, which wraps around.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { appearsIn } from '../src/cli/demo.ts';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';

for (const c of CONNECTORS) {
  test(`property: ${c.id} leaks no personal value of random organisations`, async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 12 }), async (seed, people) => {
      await withConnectorProxy(c, async (run) => {
        const secrets = run.sim.personalValues();
        for (const e of c.examples) {
          const { status, text } = await run.call(e.name);
          assert.equal(status, 200, `${e.name} ${e.path}: ${text.slice(0, 300)}`);
          assert.deepEqual(secrets.filter((v) => appearsIn(text, v)), [], `${e.name} ${e.path} leaks`);
        }
      }, {}, { seed, people });
    }), { numRuns: 3 });
  });
}
