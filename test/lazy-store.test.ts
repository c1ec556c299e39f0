// LazyStore: the real store (and its SDK) is built on first use, once, and then does the work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LazyStore } from '../src/config/lazy-store.ts';
import { MemoryStore, type WritableConfigStore } from '../src/config/store.ts';

function counted(inner: WritableConfigStore) {
  let builds = 0;
  const store = new LazyStore('SSM Parameter Store', async () => {
    builds++;
    return inner;
  });
  return { store, builds: () => builds };
}

test('LazyStore: nothing is built until a read, then built once for every operation', async () => {
  const { store, builds } = counted(new MemoryStore({ A: '1' }));
  assert.equal(store.description, 'SSM Parameter Store');
  assert.equal(store.problemWith('A'), undefined);
  assert.equal(builds(), 0);
  const [a, many] = await Promise.all([store.get('A'), store.getMany(['A', 'B'])]);
  assert.equal(a, '1');
  assert.deepEqual([...many], [['A', '1'], ['B', undefined]]);
  await store.put('A', '2');
  assert.deepEqual(await store.history('A', 5), ['2', '1']);
  assert.equal(await store.tryLock('L', 60_000), true);
  assert.equal(await store.tryLock('L', 60_000), false);
  await store.unlock('L');
  assert.equal(await store.tryLock('L', 60_000), true);
  assert.equal(builds(), 1);
});

test("LazyStore: getMany uses the store's batch read, problemWith its answer once built", async () => {
  const inner = new MemoryStore({ A: '1' });
  const batches: string[][] = [];
  Object.assign(inner, {
    getMany: async (names: string[]) => {
      batches.push(names);
      return new Map(names.map((n) => [n, n === 'A' ? '1' : undefined]));
    },
    problemWith: (name: string) => (name === 'B' ? 'denied' : undefined),
  });
  const { store } = counted(inner);
  assert.equal(store.problemWith('B'), undefined, 'not built yet: nothing was read');
  await store.getMany(['A', 'B']);
  assert.deepEqual(batches, [['A', 'B']]);
  assert.equal(store.problemWith('B'), 'denied');
});
