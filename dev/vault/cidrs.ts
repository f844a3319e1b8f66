// token_bound_cidrs: the addresses a role's logins may come from.
import { BlockList, isIP } from "node:net";

/** A BlockList of the CIDRs (or single addresses); undefined when one of them is malformed. */
export function parseCidrs(cidrs: readonly string[]): BlockList | undefined {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = "", prefix] = cidr.split("/");
    const family = isIP(address);
    if (family === 0) return undefined;
    const type = family === 4 ? "ipv4" : "ipv6";
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
    if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) return undefined;
    list.addSubnet(address, bits, type);
  }
  return list;
}

export function addressAllowed(list: BlockList, remoteAddress: string): boolean {
  // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d.
  const address = remoteAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}
