/** `ALLOWED_DATA_ACCESS_IP_BLOCKS`: literal IPs and IPv4/IPv6 CIDRs (api-proxy.md §2.2). */
import { BlockList, isIP } from 'node:net';
import type { Logger } from '../logging/logger.ts';

export class IpAllowList {
  private readonly list = new BlockList();
  private readonly literals = new Set<string>();
  readonly size: number;

  constructor(spec: string, logger?: Logger) {
    let n = 0;
    for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [addr, prefix] = raw.split('/');
      const family = isIP(addr);
      if (prefix === undefined) {
        if (family === 0) { logger?.warn('ignoring invalid IP allow-list entry', { entry: raw }); continue; }
        this.literals.add(addr);
      } else {
        const bits = Number(prefix);
        const max = family === 6 ? 128 : 32;
        if (family === 0 || !/^\d+$/.test(prefix) || bits > max) { logger?.warn('ignoring invalid IP allow-list entry', { entry: raw }); continue; }
        this.list.addSubnet(addr, bits, family === 6 ? 'ipv6' : 'ipv4');
      }
      n++;
    }
    this.size = n;
  }

  allows(clientIp: string | null): boolean {
    if (clientIp === null || clientIp.includes(',')) return false;
    let ip = clientIp.trim().replace(/%.*$/, '');
    const v4port = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(ip);
    if (v4port) ip = v4port[1];
    const family = isIP(ip);
    if (family === 0) return false;
    if (this.literals.has(ip)) return true;
    return this.list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }
}
