// The RS256 JWT module every JWT grant uses: keys in each form secrets come in, errors that
// never quote the key, x5t from openssl's thumbprint text, signatures a verifier accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readRsaPrivateKey, signRs256, x5tFromThumbprint } from '../src/auth/jwt.ts';
import { decodeJwt, signedBy } from './fakes/jwt-check.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

test('PKCS#1, PKCS#8, base64 of either, and one-line PEM with literal \\n all read as the same key', () => {
  const forms = [pkcs1, pkcs8, Buffer.from(pkcs1).toString('base64'), Buffer.from(pkcs8).toString('base64'), pkcs8.replace(/\n/g, '\\n'), `  ${pkcs1}\n`];
  for (const form of forms) {
    const jwt = signRs256({ iss: 'x' }, readRsaPrivateKey(form, 'PRIVATE_KEY'));
    assert.ok(signedBy(jwt, publicKey), form.slice(0, 20));
  }
});

test('unusable keys are refused naming the setting and the accepted forms, never quoting the value', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'p' }).toString();
  const truncated = pkcs8.slice(0, 200) + '\n-----END PRIVATE KEY-----\n';
  const cases: [string, RegExp][] = [[ec, /is a ec key/], [encrypted, /is encrypted/], [truncated, /could not be read/], ['not a key at all', /is not a PEM private key/]];
  for (const [value, why] of cases) {
    assert.throws(() => readRsaPrivateKey(value, 'PRIVATE_KEY'), (e: Error) => {
      assert.match(e.message, why);
      assert.match(e.message, /^PRIVATE_KEY .*: expected an RSA private key in PEM \(PKCS#1 or PKCS#8\), optionally base64-encoded$/);
      assert.ok(!e.message.includes(value.split('\n')[1] ?? value), 'no key material in the message');
      return true;
    });
  }
});

test("x5t: openssl's 'sha1 Fingerprint=AA:BB…', bare hex and lower case give the thumbprint's bytes, base64url without padding", () => {
  const digest = createHash('sha1').update('cert').digest();
  const hex = digest.toString('hex').toUpperCase();
  const expected = digest.toString('base64url');
  for (const v of [`sha1 Fingerprint=${hex.match(/../g)!.join(':')}`, `SHA1 Fingerprint=${hex}`, hex.toLowerCase(), ` ${hex}\n`]) {
    assert.equal(x5tFromThumbprint(v, 'PRIVATE_KEY_ID'), expected, v);
  }
  assert.throws(() => x5tFromThumbprint('abc', 'PRIVATE_KEY_ID'), /^Error: PRIVATE_KEY_ID is not a SHA-1 certificate thumbprint/);
});

test('the token: RS256 and JWT in the header with the extra header fields, claims as given', () => {
  const jwt = signRs256({ iss: 'a', n: 1 }, privateKey, { x5t: 'abc' });
  assert.deepEqual(decodeJwt(jwt), { header: { alg: 'RS256', typ: 'JWT', x5t: 'abc' }, claims: { iss: 'a', n: 1 } });
  assert.ok(signedBy(jwt, publicKey));
  assert.ok(!signedBy(jwt.slice(0, -2) + 'AA', publicKey), 'a changed signature fails');
});
