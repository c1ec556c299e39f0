/**
 * psoxy's pseudonym cryptography, byte for byte:
 * hash = SHA-256(UTF-8(canonical + salt)); key = PBKDF2-HMAC-SHA256(passphrase, salt, 65536, 256 bit);
 * reversible bytes = hash ‖ AES-256-CBC-PKCS7(key, IV = hash[0..16), UTF-8(original)).
 *
 * CBC is computed over one reusable AES-ECB cipher per key (XOR-chaining in JS) because creating a
 * cipher per value costs several times more than the hash itself.
 */
import { createCipheriv, createDecipheriv, hash as oneShotHash, pbkdf2Sync, type Cipheriv } from 'node:crypto';

export const PBKDF2_ITERATIONS = 65536;

export function sha256(text: string): Buffer {
  return oneShotHash('sha256', text, 'buffer') as Buffer;
}

export function saltedHash(canonical: string, salt: string): Buffer {
  return sha256(canonical + salt);
}

export function deriveKey(passphrase: string, salt: string): Buffer {
  return pbkdf2Sync(passphrase, Buffer.from(salt, 'utf8'), PBKDF2_ITERATIONS, 32, 'sha256');
}

export class InvalidTokenError extends Error {}

/** AES-256-CBC with PKCS#7 padding, keyed once. */
export class AesCbc {
  private readonly key: Buffer;
  private readonly ecb: Cipheriv;

  constructor(key: Buffer) {
    this.key = key;
    this.ecb = createCipheriv('aes-256-ecb', key, null);
    this.ecb.setAutoPadding(false);
  }

  encrypt(iv: Uint8Array, plaintext: Buffer): Buffer {
    const pad = 16 - (plaintext.length % 16);
    const out = Buffer.allocUnsafe(plaintext.length + pad);
    const block = Buffer.allocUnsafe(16);
    let prev: Uint8Array = iv;
    for (let off = 0; off < out.length; off += 16) {
      for (let j = 0; j < 16; j++) {
        const p = off + j < plaintext.length ? plaintext[off + j] : pad;
        block[j] = p ^ prev[j];
      }
      const enc = this.ecb.update(block);
      enc.copy(out, off);
      prev = enc;
    }
    return out;
  }

  decrypt(iv: Uint8Array, ciphertext: Uint8Array): Buffer {
    if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw new InvalidTokenError('ciphertext is not a whole number of AES blocks');
    try {
      const d = createDecipheriv('aes-256-cbc', this.key, iv);
      return Buffer.concat([d.update(ciphertext), d.final()]);
    } catch {
      throw new InvalidTokenError('token could not be decrypted (wrong key or corrupted token)');
    }
  }
}
