/**
 * SHA-256 and AES-256 block encryption in plain JS for short inputs.
 *
 * A pseudonym needs one SHA-256 of a short string (and, for reversible tokens, one or two AES
 * blocks). Through node:crypto each call crosses into C++ and allocates Buffers, which costs more
 * than the arithmetic; computing in JS on preallocated typed arrays is several times faster here.
 * Both are checked against node:crypto by property tests (test/fast-crypto.test.ts).
 */

import { javaEncodable } from '../java/text.ts';

// ---- SHA-256 (FIPS 180-4) -------------------------------------------------------------------

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Int32Array(64);
let input = new Uint8Array(1024);
const encoder = new TextEncoder();
const NO_BYTES = new Uint8Array(0);

/** UTF-8 of `text` as Java's `getBytes(UTF_8)` makes it (lone surrogates as `?`), into `buf`. */
const javaUtf8Into = (text: string, buf: Uint8Array) => encoder.encodeInto(javaEncodable(text), buf).written;

/**
 * SHA-256 of the (Java) UTF-8 bytes of `text` followed by `suffix` (bytes already encoded: a salt),
 * written into `out` (32 bytes). An ASCII text cannot join a surrogate pair with the suffix, so
 * its bytes are copied as they are; any other text is encoded together with `suffixText`, as Java
 * encodes the concatenated string.
 */
export function sha256Utf8(text: string, out: Uint8Array = new Uint8Array(32), suffix: Uint8Array = NO_BYTES, suffixText = ''): Uint8Array {
  const n = text.length;
  if (input.length < (n + suffixText.length) * 3 + suffix.length + 72) input = new Uint8Array((n + suffixText.length) * 6 + suffix.length + 144);
  const buf = input;
  let len = 0;
  for (; len < n; len++) {
    const c = text.charCodeAt(len);
    if (c >= 0x80) break;
    buf[len] = c;
  }
  if (len < n) len = javaUtf8Into(text + suffixText, buf);
  else {
    buf.set(suffix, len);
    len += suffix.length;
  }
  const bitLen = len * 8; // inputs here stay far below 2^32 bits
  let total = len + 1;
  buf[len] = 0x80;
  while ((total & 63) !== 56) buf[total++] = 0;
  buf[total] = 0; buf[total + 1] = 0; buf[total + 2] = 0; buf[total + 3] = 0;
  buf[total + 4] = bitLen >>> 24; buf[total + 5] = (bitLen >>> 16) & 0xff; buf[total + 6] = (bitLen >>> 8) & 0xff; buf[total + 7] = bitLen & 0xff;
  total += 8;

  const w = W;
  let h0 = 0x6a09e667 | 0, h1 = 0xbb67ae85 | 0, h2 = 0x3c6ef372 | 0, h3 = 0xa54ff53a | 0;
  let h4 = 0x510e527f | 0, h5 = 0x9b05688c | 0, h6 = 0x1f83d9ab | 0, h7 = 0x5be0cd19 | 0;
  for (let off = 0; off < total; off += 64) {
    for (let i = 0, j = off; i < 16; i++, j += 4) {
      w[i] = (buf[j] << 24) | (buf[j + 1] << 16) | (buf[j + 2] << 8) | buf[j + 3];
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15], b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
  }
  writeWord(out, 0, h0); writeWord(out, 4, h1); writeWord(out, 8, h2); writeWord(out, 12, h3);
  writeWord(out, 16, h4); writeWord(out, 20, h5); writeWord(out, 24, h6); writeWord(out, 28, h7);
  return out;
}

function writeWord(out: Uint8Array, o: number, v: number): void {
  out[o] = v >>> 24; out[o + 1] = (v >>> 16) & 0xff; out[o + 2] = (v >>> 8) & 0xff; out[o + 3] = v & 0xff;
}

// ---- base64url without padding ----------------------------------------------------------------

/** Node's encoder on a view of the bytes (no copy): faster than building the string in JS. */
export function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
}

// ---- UTF-8 into a reusable buffer -------------------------------------------------------------

let utf8Scratch = new Uint8Array(256);

/** Java UTF-8 bytes of `text` in a shared scratch buffer (valid until the next call). */
export function utf8Scratchpad(text: string): Uint8Array {
  if (utf8Scratch.length < text.length * 3) utf8Scratch = new Uint8Array(text.length * 6);
  const buf = utf8Scratch;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return buf.subarray(0, javaUtf8Into(text, buf));
    buf[i] = c;
  }
  return buf.subarray(0, i);
}

// ---- AES-256 encryption (FIPS 197), T-table implementation -------------------------------------

const SBOX = new Uint8Array(256);
const T0 = new Uint32Array(256), T1 = new Uint32Array(256), T2 = new Uint32Array(256), T3 = new Uint32Array(256);
(() => {
  // Build the S-box from GF(2^8) inverses and the affine transform.
  const exp = new Uint8Array(256), log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 256; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0);
    x &= 0xff;
  }
  for (let i = 0; i < 256; i++) {
    let inv = i === 0 ? 0 : exp[255 - log[i]];
    let s = inv;
    for (let k = 0; k < 4; k++) {
      inv = ((inv << 1) | (inv >>> 7)) & 0xff;
      s ^= inv;
    }
    SBOX[i] = s ^ 0x63;
  }
  const xtime = (x: number) => ((x << 1) ^ (x & 0x80 ? 0x11b : 0)) & 0xff;
  for (let i = 0; i < 256; i++) {
    const s = SBOX[i], s2 = xtime(s), s3 = s2 ^ s;
    const t = ((s2 << 24) | (s << 16) | (s << 8) | s3) >>> 0;
    T0[i] = t;
    T1[i] = ((t >>> 8) | (t << 24)) >>> 0;
    T2[i] = ((t >>> 16) | (t << 16)) >>> 0;
    T3[i] = ((t >>> 24) | (t << 8)) >>> 0;
  }
})();

/** One column of AES's last round (SubBytes and ShiftRows, no MixColumns). */
const lastRound = (a: number, b: number, c: number, d: number) =>
  (SBOX[a >>> 24] << 24) | (SBOX[(b >>> 16) & 0xff] << 16) | (SBOX[(c >>> 8) & 0xff] << 8) | SBOX[d & 0xff];

/** AES-256 with an expanded key; encrypts single 16-byte blocks. */
export class Aes256 {
  private readonly rk = new Uint32Array(60);

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error('AES-256 needs a 32-byte key');
    const rk = this.rk;
    for (let i = 0; i < 8; i++) rk[i] = ((key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3]) >>> 0;
    let rcon = 1;
    for (let i = 8; i < 60; i++) {
      let t = rk[i - 1];
      if (i % 8 === 0) {
        t = ((SBOX[(t >>> 16) & 0xff] << 24) | (SBOX[(t >>> 8) & 0xff] << 16) | (SBOX[t & 0xff] << 8) | SBOX[t >>> 24]) ^ (rcon << 24);
        rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0)) & 0xff;
      } else if (i % 8 === 4) {
        t = (SBOX[t >>> 24] << 24) | (SBOX[(t >>> 16) & 0xff] << 16) | (SBOX[(t >>> 8) & 0xff] << 8) | SBOX[t & 0xff];
      }
      rk[i] = (rk[i - 8] ^ t) >>> 0;
    }
  }

  /** Encrypts the block at `src[so..so+16)` into `dst[do..do+16)`. */
  encryptBlock(src: Uint8Array, so: number, dst: Uint8Array, dOff: number): void {
    const rk = this.rk;
    let s0 = ((src[so] << 24) | (src[so + 1] << 16) | (src[so + 2] << 8) | src[so + 3]) ^ rk[0];
    let s1 = ((src[so + 4] << 24) | (src[so + 5] << 16) | (src[so + 6] << 8) | src[so + 7]) ^ rk[1];
    let s2 = ((src[so + 8] << 24) | (src[so + 9] << 16) | (src[so + 10] << 8) | src[so + 11]) ^ rk[2];
    let s3 = ((src[so + 12] << 24) | (src[so + 13] << 16) | (src[so + 14] << 8) | src[so + 15]) ^ rk[3];
    let k = 4;
    for (let round = 1; round < 14; round++) {
      const t0 = T0[s0 >>> 24] ^ T1[(s1 >>> 16) & 0xff] ^ T2[(s2 >>> 8) & 0xff] ^ T3[s3 & 0xff] ^ rk[k];
      const t1 = T0[s1 >>> 24] ^ T1[(s2 >>> 16) & 0xff] ^ T2[(s3 >>> 8) & 0xff] ^ T3[s0 & 0xff] ^ rk[k + 1];
      const t2 = T0[s2 >>> 24] ^ T1[(s3 >>> 16) & 0xff] ^ T2[(s0 >>> 8) & 0xff] ^ T3[s1 & 0xff] ^ rk[k + 2];
      const t3 = T0[s3 >>> 24] ^ T1[(s0 >>> 16) & 0xff] ^ T2[(s1 >>> 8) & 0xff] ^ T3[s2 & 0xff] ^ rk[k + 3];
      s0 = t0; s1 = t1; s2 = t2; s3 = t3;
      k += 4;
    }
    writeWord(dst, dOff, lastRound(s0, s1, s2, s3) ^ rk[56]);
    writeWord(dst, dOff + 4, lastRound(s1, s2, s3, s0) ^ rk[57]);
    writeWord(dst, dOff + 8, lastRound(s2, s3, s0, s1) ^ rk[58]);
    writeWord(dst, dOff + 12, lastRound(s3, s0, s1, s2) ^ rk[59]);
  }
}
