// OAuthTokenManager: caching, proactive refresh, single flight, shared token and lock, 401 recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuthTokenManager } from '../src/auth/oauth-token-manager.ts';
import { MemoryStore } from '../src/config/store.ts';
import { FileStore } from '../src/config/file-store.ts';
import { silentLogger } from '../src/logging/logger.ts';

function setup(opts: { shared?: MemoryStore; ttlMs?: number } = {}) {
  let now = 1_000_000;
  let n = 0;
  const clock = { now: () => now, advance: (ms: number) => { now += ms; } };
  const grant = async () => { n++; await new Promise((r) => setTimeout(r, 5)); return { token: `t${n}`, expiresAt: now + (opts.ttlMs ?? 3_600_000) }; };
  const shared = opts.shared ? { store: opts.shared, tokenName: 'P_ACCESS_TOKEN', lockName: 'P_OAUTH_REFRESH_TOKEN' } : undefined;
  const m = new OAuthTokenManager({ grant, shared, logger: silentLogger, now: clock.now, random: () => 0.5, sleep: async () => {}, timings: { settleMs: 0 } });
  return { m, clock, grants: () => n };
}

test('caches the token and refreshes in the background inside the refresh window', async () => {
  const { m, clock, grants } = setup();
  assert.equal(await m.token(), 't1');
  clock.advance(3_000_000); // 10 min before expiry: outside the 60–600 s window (random 0.5 → 330 s)
  assert.equal(await m.token(), 't1');
  assert.equal(grants(), 1);
  clock.advance(400_000); // 200 s before expiry: inside the window, still valid
  assert.equal(await m.token(), 't1', 'the valid token keeps serving');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await m.token(), 't2', 'background refresh landed');
  clock.advance(4_000_000); // expired: the caller waits for a new one
  assert.equal(await m.token(), 't3');
});

test('single flight: concurrent callers share one exchange', async () => {
  const { m, grants } = setup();
  const tokens = await Promise.all(Array.from({ length: 50 }, () => m.token()));
  assert.deepEqual(new Set(tokens), new Set(['t1']));
  assert.equal(grants(), 1);
});

test('shared store: a second instance reuses the stored token; stored in psoxy format', async () => {
  const store = new MemoryStore();
  const a = setup({ shared: store });
  const b = setup({ shared: store });
  assert.equal(await a.m.token(), 't1');
  assert.equal(await b.m.token(), 't1');
  assert.equal(b.grants(), 0);
  assert.deepEqual(Object.keys(JSON.parse((await store.get('P_ACCESS_TOKEN'))!)), ['token', 'expirationDate']);
});

test('after a rejection: take a newer shared token, else exchange; never return the rejected one', async () => {
  const store = new MemoryStore();
  const a = setup({ shared: store });
  const b = setup({ shared: store });
  await a.m.token();
  await b.m.token(); // both hold t1
  assert.equal(await a.m.afterRejection('t1'), 't2', 'the shared token was the rejected one: a exchanges');
  assert.equal(a.grants(), 2);
  const fresh = await a.m.token();
  assert.equal(await b.m.afterRejection('t1'), fresh, 'b picks up the token a stored');
  assert.equal(b.grants(), 0);
});

test('lock held elsewhere: waits, then uses what the holder stored; gives up after 3 attempts', async () => {
  const store = new MemoryStore();
  await store.tryLock('P_OAUTH_REFRESH_TOKEN', 120_000);
  const a = setup({ shared: store });
  await assert.rejects(() => a.m.token(), /could not obtain the token lock P_OAUTH_REFRESH_TOKEN after 3 attempts/);
  await store.put('P_ACCESS_TOKEN', JSON.stringify({ token: 'stored', expirationDate: 1_000_000 + 3_600_000 }));
  assert.equal(await a.m.token(), 'stored');
  assert.equal(a.grants(), 0);
});

test('FileStore: exclusive lock across store instances, stale locks broken, atomic values with history', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'psoxy-store-'));
  const one = new FileStore(join(dir, 'zoom.json'));
  const two = new FileStore(join(dir, 'zoom.json'));
  assert.equal(await one.tryLock('L', 60_000), true);
  assert.equal(await two.tryLock('L', 60_000), false);
  await one.unlock('L');
  assert.equal(await two.tryLock('L', 60_000), true);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(await one.tryLock('L', 10), false, 'a stale lock is broken but not taken in the same call');
  assert.equal(await one.tryLock('L', 10), true);
  await one.put('K', 'v1');
  await two.put('K', 'v2');
  assert.equal(await one.get('K'), 'v2');
  assert.deepEqual(await one.history('K', 5), ['v2', 'v1']);
});
