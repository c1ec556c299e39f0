/**
 * A self-signed X.509 certificate for a local proxy (`psoxy serve --tls-self-signed`): ECDSA
 * P-256, valid for localhost, 127.0.0.1 and ::1. node:crypto signs and parses certificates but has
 * no builder, and the npm packages that have one pull in an ASN.1 stack (selfsigned 5: pkijs and
 * @peculiar/x509); the DER below is the few fixed structures RFC 5280 needs, checked by parsing the
 * result with Node's own X509Certificate.
 */
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

const length = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const explicit = (n: number, content: Buffer) => tlv(0xa0 + n, content);
const octets = (content: Buffer) => tlv(0x04, content);
const bits = (content: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/^\d\d|[-:T]|\.\d+/g, '')));

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const v of rest) {
    const base128 = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) base128.unshift((x & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const commonName = (cn: string) => sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn)))));

export interface SelfSignedCertificate { cert: string; key: string; validTo: string }

export function selfSignedCertificate(validDays = 30, now = new Date()): SelfSignedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // a positive INTEGER
  const name = commonName('localhost');
  const subjectAltName = sequence(
    tlv(0x82, Buffer.from('localhost')),
    tlv(0x87, Buffer.from([127, 0, 0, 1])),
    tlv(0x87, Buffer.from([...Array<number>(15).fill(0), 1])),
  );
  const extensions = sequence(
    sequence(oid('2.5.29.17'), octets(subjectAltName)),
    sequence(oid('2.5.29.37'), octets(sequence(oid('1.3.6.1.5.5.7.3.1')))), // extendedKeyUsage: serverAuth
  );
  const tbs = sequence(
    explicit(0, tlv(0x02, Buffer.from([2]))), // version 3
    tlv(0x02, serial),
    ECDSA_WITH_SHA256,
    name,
    sequence(utcTime(new Date(now.getTime() - 3_600_000)), utcTime(new Date(now.getTime() + validDays * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, extensions),
  );
  const certificate = new X509Certificate(sequence(tbs, ECDSA_WITH_SHA256, bits(sign('sha256', tbs, privateKey))));
  if (!certificate.verify(publicKey)) throw new Error('the self-signed certificate does not verify'); // never expected
  return { cert: certificate.toString(), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, validTo: certificate.validTo };
}
