/**
 * psoxy-compatible pseudonyms (DEFAULT implementation, "v0.4").
 *
 * `t~<b64url hash>[@domain]` deterministic tokens, `p~<b64url(hash ‖ AES-CBC(original))>[@domain]`
 * reversible tokens, the JSON identity encoding and IP hashing/encryption; see ARCHITECTURE.md.
 */
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { AesCbc, deriveKey, InvalidTokenError, PBKDF2_ITERATIONS, saltedHash } from './crypto.ts';
import { base64url, sha256Utf8, utf8Scratchpad } from './fast-crypto.ts';
import { canonicalizeEmail, parseMailbox, type EmailCanonicalization, type ParsedMailbox } from './email.ts';
import { canonicalIp } from './ip.ts';
import { isJsonNumber, numberText, type JsonNumber, type JsonObject } from '../json/json.ts';
import { writeJson } from '../json/write.ts';
import { isBlank } from '../java/text.ts';

/** Reused output buffer of the token hot path (synchronous, so never shared between calls). */
const SCRATCH = Buffer.allocUnsafe(4096);

export type EmailDomainHandling = 'PRESERVE' | 'REDACT' | 'TOKENIZE' | 'ENCRYPT';

export interface PseudonymizerConfig {
  salt: string;
  encryptionKey?: string | null;
  emailCanonicalization?: EmailCanonicalization;
  emailDomainHandling?: EmailDomainHandling;
  /** IP-specific salt / passphrase (psoxy `SALT_IP`, `ENCRYPTION_KEY_IP`). */
  saltIp?: string | null;
  encryptionKeyIp?: string | null;
  /** Email-domain salt / passphrase (psoxy `SALT_EMAIL_DOMAINS`, `ENCRYPTION_KEY_EMAIL_DOMAINS`). */
  saltEmailDomains?: string | null;
  encryptionKeyEmailDomains?: string | null;
}

/** psoxy's `PseudonymizedIdentity`; key order matters for the JSON encoding. */
export interface Identity {
  domain?: string;
  hash: string;
  original?: string;
  reversible?: string;
}

export class MissingEncryptionKeyError extends Error {}

/** What STRICT canonicalization can change in an address: upper case (ASCII or not) and a `+` tag. */
const CANONICALIZATION_CHANGES = /[A-Z+]|[^\x00-\x7f]/;

const b64url = (b: Uint8Array) => base64url(b);
/** A reversible token in text, with its `@domain` (psoxy's grammar: 43+ base64url characters). */
const REVERSIBLE_TOKEN = /p~[A-Za-z0-9_-]{43,}(?:@[A-Za-z0-9.-]+)?/g;

/** Every reversible token in `text` (with its `@domain`) replaced by what `replace` makes of it. */
export function replaceTokens(text: string, replace: (token: string) => string): string {
  return text.includes('p~') ? text.replace(REVERSIBLE_TOKEN, replace) : text;
}

export class Pseudonymizer {
  readonly config: Required<Pick<PseudonymizerConfig, 'salt' | 'emailCanonicalization' | 'emailDomainHandling'>> & PseudonymizerConfig;
  private readonly ciphers = new Map<string, AesCbc>();
  /** The salt's Java UTF-8 bytes, appended to each hashed text without concatenating strings. */
  private readonly saltBytes: Uint8Array;

  constructor(config: PseudonymizerConfig) {
    this.config = { emailCanonicalization: 'STRICT', emailDomainHandling: 'PRESERVE', ...config };
    this.saltBytes = utf8Scratchpad(this.config.salt).slice();
  }

  /** One AES cipher per (passphrase, salt); PBKDF2 runs once. */
  private cipher(passphrase: string | null | undefined, salt: string): AesCbc {
    if (!passphrase) throw new MissingEncryptionKeyError('reversible pseudonyms need PSOXY_ENCRYPTION_KEY, which is not configured');
    const id = passphrase + '\u0000' + salt;
    let c = this.ciphers.get(id);
    if (!c) this.ciphers.set(id, (c = new AesCbc(deriveKey(passphrase, salt))));
    return c;
  }

  /**
   * Derives the configured keys off the main thread (PBKDF2 with 65536 iterations costs tens of
   * milliseconds), so a cold start can do it while waiting on the network.
   */
  async warmUp(): Promise<void> {
    const c = this.config;
    const pairs: [string | null | undefined, string][] = [
      [c.encryptionKey, c.salt],
      [c.encryptionKeyIp || c.encryptionKey, c.saltIp || c.salt],
    ];
    await Promise.all(pairs.map(async ([pass, salt]) => {
      if (!pass) return;
      const id = pass + '\u0000' + salt;
      if (this.ciphers.has(id)) return;
      const key = await new Promise<Buffer>((resolve, reject) =>
        pbkdf2(pass, Buffer.from(salt, 'utf8'), PBKDF2_ITERATIONS, 32, 'sha256', (e, k) => (e ? reject(e) : resolve(k))));
      this.ciphers.set(id, new AesCbc(key));
    }));
  }

  /** Kept once made: the hot path looks it up per value. */
  private mainCipherCache: AesCbc | null = null;

  private get mainCipher(): AesCbc {
    return (this.mainCipherCache ??= this.cipher(this.config.encryptionKey, this.config.salt));
  }

  /** hash ‖ AES-CBC(original), IV = hash[0..16). */
  private reversibleBytes(original: string, hash: Uint8Array, cipher: AesCbc): Uint8Array {
    return cipher.encryptAfter(hash, original);
  }

  /**
   * The canonical address of `value`, parsed as `mailbox`: `value` itself when it is a bare
   * address canonicalization leaves as is (the parts are pieces of `value` in order, so equal
   * lengths mean no name, comment or quote was dropped). Hashing that flat string is faster than
   * hashing the concatenation canonicalizeEmail builds.
   */
  private canonicalEmail(value: string, mailbox: ParsedMailbox): string {
    const mode = this.config.emailCanonicalization;
    const bare = mailbox.local.length + 1 + mailbox.domain.length === value.length;
    return bare && mode === 'STRICT' && !CANONICALIZATION_CHANGES.test(value) ? value : canonicalizeEmail(mailbox, mode);
  }

  /** A mailbox when the value duck-types as an email (strings only). */
  asEmail(value: string | JsonNumber): ParsedMailbox | null {
    return typeof value === 'string' && value.includes('@') ? parseMailbox(value) : null;
  }

  private domainFor(m: ParsedMailbox): string | undefined {
    const c = this.config;
    switch (c.emailDomainHandling) {
      case 'PRESERVE': return m.domain;
      case 'REDACT': return undefined;
      case 'TOKENIZE': return 'h~' + b64url(saltedHash(m.domain, c.saltEmailDomains || c.salt));
      case 'ENCRYPT': {
        const salt = c.saltEmailDomains || c.salt;
        const h = saltedHash(m.domain, salt);
        return 'e~' + b64url(this.reversibleBytes(m.domain, h, this.cipher(c.encryptionKeyEmailDomains || c.encryptionKey, salt)));
      }
    }
  }

  /**
   * psoxy `PseudonymizerImpl.pseudonymize`: null for null/blank values; emails are canonicalized
   * and keep their domain; other values (and numbers, as Java prints them) are hashed as is.
   */
  pseudonymize(value: string | JsonNumber | null, options: { includeReversible?: boolean; includeOriginal?: boolean } = {}): Identity | null {
    if (value === null) return null;
    const text = isJsonNumber(value) ? numberText(value) : value;
    if (isBlank(text)) return null;
    const mailbox = this.asEmail(value);
    const hash = saltedHash(mailbox ? this.canonicalEmail(text, mailbox) : text, this.config.salt);
    const identity: Identity = { hash: '' };
    if (mailbox) {
      const domain = this.domainFor(mailbox);
      if (domain !== undefined) identity.domain = domain;
    }
    identity.hash = b64url(hash);
    if (options.includeOriginal) identity.original = text;
    if (options.includeReversible) {
      identity.reversible = 'p~' + b64url(this.reversibleBytes(text, hash, this.mainCipher)) + (identity.domain !== undefined ? '@' + identity.domain : '');
    }
    return identity;
  }

  /**
   * The `URL_SAFE_TOKEN` encoding of `pseudonymize(value)` without building the identity
   * (the hot path of the sanitizer); null for null/blank values.
   */
  urlSafeToken(value: string | JsonNumber | null, includeReversible: boolean): string | null {
    if (value === null) return null;
    const text = isJsonNumber(value) ? numberText(value) : value;
    if (isBlank(text)) return null;
    const mailbox = this.asEmail(value);
    const domain = mailbox ? this.domainFor(mailbox) : undefined;
    const suffix = domain !== undefined ? '@' + domain : '';
    // Hash (and ciphertext) go into one reused buffer, encoded straight from it.
    sha256Utf8(mailbox ? this.canonicalEmail(text, mailbox) : text, SCRATCH, this.saltBytes, this.config.salt);
    if (!includeReversible) return 't~' + SCRATCH.toString('base64url', 0, 32) + suffix;
    const data = utf8Scratchpad(text);
    if (32 + data.length + 16 > SCRATCH.length) return 'p~' + b64url(this.reversibleBytes(text, SCRATCH.subarray(0, 32).slice(), this.mainCipher)) + suffix;
    return 'p~' + SCRATCH.toString('base64url', 0, this.mainCipher.encryptInto(SCRATCH, 32, data)) + suffix;
  }

  /** `URL_SAFE_TOKEN` encoding of an identity. */
  static urlSafeToken(identity: Identity): string {
    if (identity.reversible !== undefined) return identity.reversible;
    return 't~' + identity.hash + (identity.domain !== undefined ? '@' + identity.domain : '');
  }

  /** `JSON` encoding: the identity object as compact JSON, keys in psoxy's order. */
  static jsonEncoded(identity: Identity): string {
    const { domain, hash, original, reversible } = identity;
    return writeJson({ domain, hash, original, reversible } as JsonObject);
  }

  /** `tokenize`: `p~` reversible token of the value itself (no email handling, no domain). */
  tokenize(value: string): string {
    const hash = saltedHash(value, this.config.salt);
    return 'p~' + b64url(this.reversibleBytes(value, hash, this.mainCipher));
  }

  private ipSalt(): string {
    return this.config.saltIp || this.config.salt;
  }

  /** `hashIp`: null when the value is not an IP address. */
  hashIp(value: string): string | null {
    const ip = canonicalIp(value);
    return ip === null ? null : 't~' + b64url(saltedHash(ip, this.ipSalt()));
  }

  /** `encryptIp`: null when the value is not an IP address. */
  encryptIp(value: string): string | null {
    const ip = canonicalIp(value);
    if (ip === null) return null;
    const salt = this.ipSalt();
    const h = saltedHash(ip, salt);
    return 'p~' + b64url(this.reversibleBytes(ip, h, this.cipher(this.config.encryptionKeyIp || this.config.encryptionKey, salt)));
  }

  /**
   * Decrypts one `p~` token and checks its hash half against the plaintext (psoxy never does):
   * without the salt nobody can forge or alter a token, so a decryption oracle learns nothing.
   * Every failure is the same `InvalidTokenError`, whatever was wrong.
   */
  reverse(token: string): string {
    const [iv, ciphertext, hash] = this.tokenParts(token);
    const plaintext = this.mainCipher.decryptOrNull(iv, ciphertext);
    // Hashes even a bad padding, so both failures cost about the same time.
    const text = (plaintext ?? ciphertext).toString('utf8');
    if (!this.hashCandidates(text).some((h) => timingSafeEqual(h, hash)) || plaintext === null) throw new InvalidTokenError('invalid reversible token');
    return text;
  }

  /** [IV, ciphertext, hash] of a token; a malformed one fails like any other invalid token. */
  private tokenParts(token: string): [Uint8Array, Buffer, Buffer] {
    const body = token.replace(/^p~/, '').replace(/@.*$/, '');
    const bytes = /^[A-Za-z0-9_-]+$/.test(body) ? Buffer.from(body, 'base64url') : Buffer.alloc(0);
    // Only the canonical encoding: decoders ignore a dangling character or spare bits.
    if (bytes.length < 48 || bytes.length % 16 !== 0 || bytes.toString('base64url') !== body) throw new InvalidTokenError('invalid reversible token');
    return [bytes.subarray(0, 16), bytes.subarray(32), bytes.subarray(0, 32)];
  }

  /**
   * Every hash a genuine token of this plaintext can carry: `tokenize` and plain values hash the
   * text itself, emails their canonical address (either canonicalization, so tokens survive a
   * change of EMAIL_CANONICALIZATION), `encryptIp` the canonical IP with the IP salt.
   */
  private hashCandidates(text: string): Uint8Array[] {
    const c = this.config;
    const out = [saltedHash(text, c.salt)];
    const mailbox = text.includes('@') ? parseMailbox(text) : null;
    if (mailbox) {
      for (const mode of ['STRICT', 'IGNORE_DOTS'] as const) out.push(saltedHash(canonicalizeEmail(mailbox, mode), c.salt));
    }
    const ip = canonicalIp(text);
    if (ip !== null) out.push(saltedHash(ip, this.ipSalt()));
    return out;
  }

  /** Replaces every reversible token (and its `@domain` suffix) in a string by its plaintext. */
  reverseAll(text: string): string {
    return replaceTokens(text, (token) => this.reverse(token));
  }
}
