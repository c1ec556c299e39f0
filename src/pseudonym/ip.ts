/** IP canonicalization as Java's `InetAddress.getHostAddress()` prints it (no `::` compression). */
import { isIPv4, isIPv6 } from 'node:net';

const IPV4_SHAPE = /^([0-9]{1,3}\.){3}[0-9]{1,3}$/;
const IPV6_SHAPE = /^[0-9a-fA-F:.]+$/;

export function canonicalIp(value: string): string | null {
  if (IPV4_SHAPE.test(value)) return isIPv4(value) ? value.split('.').map((p) => String(Number(p))).join('.') : null;
  if (!IPV6_SHAPE.test(value) || !isIPv6(value)) return null;
  const groups = expandIpv6(value);
  // IPv4-mapped addresses print as the IPv4 address.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.');
  }
  return groups.map((g) => g.toString(16)).join(':');
}

function expandIpv6(value: string): number[] {
  // An embedded IPv4 tail (`::ffff:192.0.2.128`) stands for the last two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  if (v4) {
    const b = v4[1].split('.').map(Number);
    const parts = expandIpv6(value.slice(0, -v4[1].length) + '0:0');
    parts[6] = (b[0] << 8) | b[1];
    parts[7] = (b[2] << 8) | b[3];
    return parts;
  }
  const [head, rest] = value.includes('::') ? value.split('::') : [value, null];
  const h = head ? head.split(':').map((x) => parseInt(x, 16)) : [];
  if (rest === null) return h;
  const r = rest ? rest.split(':').map((x) => parseInt(x, 16)) : [];
  return [...h, ...new Array(8 - h.length - r.length).fill(0), ...r];
}
