// Which IP addresses an outbound call may reach: anything a server on the public internet can
// have, never this machine, a private network, a cloud metadata endpoint or a reserved range.
// Ranges from the IANA special-purpose registries:
// https://www.iana.org/assignments/iana-ipv4-special-registry/
// https://www.iana.org/assignments/iana-ipv6-special-registry/

/** IPv4 ranges that are not public, as [first octets, prefix length]. */
const PRIVATE_V4: [number[], number][] = [
  [[0], 8], // "this network", including 0.0.0.0
  [[10], 8], // private
  [[100, 64], 10], // carrier-grade NAT
  [[127], 8], // loopback
  [[169, 254], 16], // link-local, including the 169.254.169.254 metadata service
  [[172, 16], 12], // private
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2], 24], // documentation
  [[192, 88, 99], 24], // 6to4 relay anycast
  [[192, 168], 16], // private
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24], // documentation
  [[203, 0, 113], 24], // documentation
  [[224], 4], // multicast
  [[240], 4], // reserved, including 255.255.255.255
];

/** The four octets of a dotted IPv4 address, or null. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null;
}

/** The eight 16-bit groups of an IPv6 address (brackets and zone id allowed), or null. */
export function parseIPv6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!s.includes(":")) return null;
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
  const dotted = s.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = parseIPv4(dotted[2]);
    if (!v4) return null;
    s = `${dotted[1]}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

function inV4Range(octets: number[], [prefix, bits]: [number[], number]): boolean {
  const value = (o: number[]) => o.reduce((acc, b, i) => acc + b * 2 ** (8 * (3 - i)), 0);
  const block = 2 ** (32 - bits);
  return Math.floor(value(octets) / block) === Math.floor(value([...prefix, 0, 0, 0].slice(0, 4)) / block);
}

function isPrivateV4(octets: number[]): boolean {
  return PRIVATE_V4.some((range) => inV4Range(octets, range));
}

function isPrivateV6(g: number[]): boolean {
  const zeroes = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroes(8)) return true; // :: unspecified
  if (zeroes(7) && g[7] === 1) return true; // ::1 loopback
  const embeddedV4 = [g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255];
  if (zeroes(5) && g[5] === 0xffff) return isPrivateV4(embeddedV4); // ::ffff:a.b.c.d mapped
  if (zeroes(6)) return true; // ::a.b.c.d (deprecated compatible form)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPrivateV4(embeddedV4); // NAT64
  if (g[0] === 0x2002) return isPrivateV4([g[1] >> 8, g[1] & 255, g[2] >> 8, g[2] & 255]); // 6to4
  if ((g[0] & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g[0] & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g[0] & 0xffc0) === 0xfec0) return true; // fec0::/10 old site-local
  if ((g[0] & 0xff00) === 0xff00) return true; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
  if (g[0] === 0x2001 && g[1] < 0x0200) return true; // 2001::/23 protocol assignments (Teredo, benchmarking…)
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return true; // 100::/64 discard
  return false;
}

/** True when `address` (IPv4 or IPv6 text) is not a public internet address; unparsable counts as not public. */
export function isPrivateAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4) return isPrivateV4(v4);
  const v6 = parseIPv6(address);
  if (v6) return isPrivateV6(v6);
  return true;
}

/** True when `host` (a URL hostname) is an IP literal rather than a name. */
export function isIpLiteral(host: string): boolean {
  return parseIPv4(host) !== null || parseIPv6(host) !== null;
}
