/**
 * The pseudonymizer as psoxy configures it, shared by API and bulk mode (bulk.md §1.2): the salt,
 * the optional key, email canonicalization and domain handling, and the IP / email-domain salts.
 */
import { InvalidConfigError, type ConfigService } from './config-service.ts';
import { Pseudonymizer, type EmailDomainHandling } from '../pseudonym/pseudonymizer.ts';
import type { EmailCanonicalization } from '../pseudonym/email.ts';

const CANONICALIZATIONS: readonly EmailCanonicalization[] = ['STRICT', 'IGNORE_DOTS'];
const DOMAIN_HANDLINGS: readonly EmailDomainHandling[] = ['PRESERVE', 'REDACT', 'TOKENIZE', 'ENCRYPT'];

/** Reads one of a fixed set of values, case-insensitively, naming the choices when it is none of them. */
async function oneOf<T extends string>(config: ConfigService, property: string, choices: readonly T[], dflt: T): Promise<T> {
  const value = ((await config.get(property)) ?? dflt).toUpperCase();
  if (!(choices as readonly string[]).includes(value)) throw new InvalidConfigError(`${property} must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`, property);
  return value as T;
}

export async function pseudonymizerFromConfig(config: ConfigService): Promise<Pseudonymizer> {
  return new Pseudonymizer({
    salt: await config.require('PSOXY_SALT'),
    encryptionKey: (await config.get('PSOXY_ENCRYPTION_KEY')) ?? null,
    emailCanonicalization: await oneOf(config, 'EMAIL_CANONICALIZATION', CANONICALIZATIONS, 'STRICT'),
    emailDomainHandling: await oneOf(config, 'EMAIL_DOMAIN_HANDLING', DOMAIN_HANDLINGS, 'PRESERVE'),
    saltIp: (await config.get('SALT_IP')) ?? null,
    encryptionKeyIp: (await config.get('ENCRYPTION_KEY_IP')) ?? null,
    saltEmailDomains: (await config.get('SALT_EMAIL_DOMAINS')) ?? null,
    encryptionKeyEmailDomains: (await config.get('ENCRYPTION_KEY_EMAIL_DOMAINS')) ?? null,
  });
}
