/**
 * psoxy's pseudonym cryptography, byte for byte:
 * hash = SHA-256(UTF-8(canonical + salt)); key = PBKDF2-HMAC-SHA256(passphrase, salt, 65536, 256 bit);
 * reversible bytes = hash ‖ AES-256-CBC-PKCS7(key, IV = hash[0..16), UTF-8(original)).
 *
 * Hashing and encryption run in JS on typed arrays (fast-crypto.ts): per value, that is several
 * times cheaper than a node:crypto call. Decryption (rare: only tokens in requests) uses node:crypto.
 */
import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { Aes256, sha256Utf8, utf8Scratchpad } from './fast-crypto.ts';

export const PBKDF2_ITERATIONS = 65536;

export function saltedHash(canonical: string, salt: string): Uint8Array {
  return sha256Utf8(canonical + salt);
}

export function deriveKey(passphrase: string, salt: string): Buffer {
  return pbkdf2Sync(passphrase, Buffer.from(salt, 'utf8'), PBKDF2_ITERATIONS, 32, 'sha256');
}

export class InvalidTokenError extends Error {}

/** AES-256-CBC with PKCS#7 padding, keyed once. */
export class AesCbc {
  private readonly key: Buffer;
  private readonly aes: Aes256;
  private readonly block = new Uint8Array(16);

  constructor(key: Buffer) {
    this.key = key;
    this.aes = new Aes256(key);
  }

  /** `prefix ‖ AES-CBC(iv = prefix[0..16), plaintext)` in one allocation (psoxy: hash ‖ ciphertext). */
  encryptAfter(prefix: Uint8Array, plaintext: string): Uint8Array {
    const data = utf8Scratchpad(plaintext);
    const out = new Uint8Array(prefix.length + data.length + 16 - (data.length % 16));
    out.set(prefix, 0);
    this.encryptInto(out, prefix.length, data);
    return out;
  }

  /**
   * Encrypts `data` into `out` at `offset`, chaining from out[0..16) as the IV (psoxy: the hash,
   * already written there). Returns the end offset.
   */
  encryptInto(out: Uint8Array, offset: number, data: Uint8Array): number {
    const pad = 16 - (data.length % 16);
    const block = this.block;
    let prevOff = 0;
    for (let off = 0; off < data.length + pad; off += 16) {
      for (let j = 0; j < 16; j++) block[j] = (off + j < data.length ? data[off + j] : pad) ^ out[prevOff + j];
      this.aes.encryptBlock(block, 0, out, offset + off);
      prevOff = offset + off;
    }
    return offset + data.length + pad;
  }

  decrypt(iv: Uint8Array, ciphertext: Uint8Array): Buffer {
    const plaintext = this.decryptOrNull(iv, ciphertext);
    if (plaintext === null) throw new InvalidTokenError('token could not be decrypted (wrong key or corrupted token)');
    return plaintext;
  }

  /**
   * The plaintext, or null when the ciphertext is not whole blocks or its padding is invalid. The
   * padding is checked without branching on its bytes or throwing, so good and bad padding take
   * the same time.
   */
  decryptOrNull(iv: Uint8Array, ciphertext: Uint8Array): Buffer | null {
    if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return null;
    const d = createDecipheriv('aes-256-cbc', this.key, iv);
    d.setAutoPadding(false);
    const padded = Buffer.concat([d.update(ciphertext), d.final()]);
    const pad = padded[padded.length - 1];
    let bad = (pad === 0 ? 1 : 0) | (pad > 16 ? 1 : 0);
    for (let i = 1; i <= 16; i++) bad |= (i <= pad ? 1 : 0) & (padded[padded.length - i] !== pad ? 1 : 0);
    return bad === 0 ? padded.subarray(0, padded.length - pad) : null;
  }
}
