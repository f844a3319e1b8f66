// token_bound_cidrs and secret_id_bound_cidrs: the addresses a role's logins and tokens may come from.
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

/** An address as a number, IPv4 in the IPv4-mapped IPv6 range so that both families compare. */
function addressValue(address: string): bigint | undefined {
  const family = isIP(address);
  if (family === 4) return (0xffffn << 32n) | address.split(".").reduce((sum, part) => (sum << 8n) | BigInt(Number(part)), 0n);
  if (family !== 6) return undefined;
  const [head = "", tail] = address.split("::");
  const groups = (text: string | undefined) => (text ? text.split(":") : []);
  const parts = tail === undefined ? groups(head) : [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill("0"), ...groups(tail)];
  if (parts.length !== 8 || parts.some((part) => !/^[0-9a-f]{1,4}$/i.test(part))) return undefined;
  return parts.reduce((sum, part) => (sum << 16n) | BigInt(parseInt(part, 16)), 0n);
}

function rangeOf(cidr: string): { first: bigint; last: bigint } | undefined {
  const [address = "", prefix] = cidr.split("/");
  const value = addressValue(address);
  if (value === undefined) return undefined;
  const bits = isIP(address) === 4 ? 96 + Number(prefix ?? 32) : Number(prefix ?? 128);
  const host = (1n << BigInt(128 - bits)) - 1n;
  return { first: value & ~host, last: value | host };
}

/** Whether every address of each inner CIDR lies in one of the outer CIDRs (an empty outer list allows all). */
export function cidrsWithin(inner: readonly string[], outer: readonly string[]): boolean {
  if (outer.length === 0) return true;
  const outerRanges = outer.map(rangeOf);
  return inner.every((cidr) => {
    const range = rangeOf(cidr);
    return range !== undefined && outerRanges.some((candidate) => candidate !== undefined && candidate.first <= range.first && range.last <= candidate.last);
  });
}
