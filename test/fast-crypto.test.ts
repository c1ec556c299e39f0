// The JS SHA-256 / AES-256 / UTF-8 helpers used for pseudonyms agree with node:crypto on any input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash } from 'node:crypto';
import fc from 'fast-check';
import { Aes256, sha256Utf8, utf8Scratchpad } from '../src/pseudonym/fast-crypto.ts';

test('sha256Utf8 equals node:crypto for any string (ASCII, Unicode, long)', () => {
  for (const s of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'é'.repeat(100)]) {
    assert.equal(Buffer.from(sha256Utf8(s)).toString('hex'), createHash('sha256').update(s, 'utf8').digest('hex'), JSON.stringify(s));
  }
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
    assert.equal(Buffer.from(sha256Utf8(s)).toString('hex'), createHash('sha256').update(s, 'utf8').digest('hex'));
  }), { numRuns: 1000 });
});

test('utf8Scratchpad equals Buffer.from(text, "utf8")', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
    assert.deepEqual(Buffer.from(utf8Scratchpad(s)), Buffer.from(s, 'utf8'));
  }), { numRuns: 500 });
});

test('Aes256 block encryption equals node:crypto AES-256-ECB', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (key, block) => {
    const ours = new Uint8Array(16);
    new Aes256(key).encryptBlock(block, 0, ours, 0);
    const c = createCipheriv('aes-256-ecb', key, null);
    c.setAutoPadding(false);
    assert.equal(Buffer.from(ours).toString('hex'), c.update(block).toString('hex'));
  }), { numRuns: 300 });
  // FIPS-197 appendix C.3 vector
  const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
  const out = new Uint8Array(16);
  new Aes256(key).encryptBlock(Buffer.from('00112233445566778899aabbccddeeff', 'hex'), 0, out, 0);
  assert.equal(Buffer.from(out).toString('hex'), '8ea2b7ca516745bfeafc49904b496089');
});
