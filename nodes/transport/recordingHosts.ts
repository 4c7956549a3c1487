/**
 * Which hosts a recording may be downloaded from. A record's recording URL is the provider's
 * data, not the user's choice, so by default it may not point into the n8n host's own networks
 * (loopback, private ranges, cloud metadata on link-local). Only IP literals and `localhost` can
 * be judged here: n8n Cloud allows a node no `dns` import, so a public name that resolves to a
 * private address is left to n8n's own SSRF protection.
 *
 * The WHATWG URL parser has already turned every IPv4 form it accepts (decimal `2130706433`,
 * octal `0177.0.0.1`, hex `0x7f.1`, short `127.1`) into dotted decimal, and every IPv6 literal
 * into its compressed hex form, so the rules below read only those two forms.
 */

/** What the user typed into the credential, and whether private hosts are allowed. */
export interface RecordingHostPolicy {
	/** Origins (scheme, host and port) always allowed: the API's and the Recording Base URL's. */
	trustedOrigins: ReadonlySet<string>;
	allowPrivateNetworks: boolean;
}

/** IPv4 ranges a recording may not come from, as [first address, prefix length, what it is]. */
const PRIVATE_V4: Array<[number, number, string]> = [
	[ipv4(0, 0, 0, 0), 8, 'an unspecified address (0.0.0.0/8)'],
	[ipv4(127, 0, 0, 0), 8, 'a loopback address (127.0.0.0/8)'],
	[ipv4(10, 0, 0, 0), 8, 'a private address (10.0.0.0/8)'],
	[ipv4(172, 16, 0, 0), 12, 'a private address (172.16.0.0/12)'],
	[ipv4(192, 168, 0, 0), 16, 'a private address (192.168.0.0/16)'],
	[ipv4(169, 254, 0, 0), 16, 'a link-local address (169.254.0.0/16, where cloud metadata lives)'],
	[ipv4(100, 64, 0, 0), 10, 'a shared CGNAT address (100.64.0.0/10)'],
];

function ipv4(a: number, b: number, c: number, d: number): number {
	return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** The rule a URL breaks, e.g. 'its host is a loopback address (127.0.0.0/8)'; undefined when it may be fetched. */
export function recordingHostRefusal(url: URL, policy: RecordingHostPolicy): string | undefined {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return `its scheme "${url.protocol}" is not http or https`;
	if (policy.trustedOrigins.has(url.origin) || policy.allowPrivateNetworks) return undefined;
	const host = url.hostname.toLowerCase().replace(/\.$/, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return 'its host is localhost';
	const kind = host.startsWith('[') ? ipv6Kind(host.slice(1, -1)) : ipv4Kind(host);
	return kind ? `its host is ${kind}` : undefined;
}

/** What a dotted-decimal IPv4 address is, if it is one of the refused ranges. */
function ipv4Kind(host: string): string | undefined {
	const value = parseIpv4(host);
	return value === undefined ? undefined : kindOfV4(value);
}

function kindOfV4(value: number): string | undefined {
	for (const [first, prefix, kind] of PRIVATE_V4) {
		const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
		if (((value & mask) >>> 0) === first) return kind;
	}
	return undefined;
}

function parseIpv4(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
	return ipv4(...(parts.map(Number) as [number, number, number, number]));
}

/** The eight 16-bit groups of an IPv6 address (with or without `::` and a dotted tail); undefined if it is not one. */
function parseIpv6(text: string): number[] | undefined {
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const groupsOf = (part: string): number[] | undefined => {
		if (part === '') return [];
		const out: number[] = [];
		const pieces = part.split(':');
		for (let i = 0; i < pieces.length; i++) {
			const piece = pieces[i];
			if (i === pieces.length - 1 && piece.includes('.')) {
				const v4 = parseIpv4(piece);
				if (v4 === undefined) return undefined;
				out.push(v4 >>> 16, v4 & 0xffff);
			} else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
				out.push(parseInt(piece, 16));
			} else {
				return undefined;
			}
		}
		return out;
	};
	const head = groupsOf(halves[0]);
	const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
	if (!head || !tail) return undefined;
	if (halves.length === 1) return head.length === 8 ? head : undefined;
	const missing = 8 - head.length - tail.length;
	return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : undefined;
}

/** What an IPv6 address is, if it is refused; an IPv4 address inside one is judged as IPv4. */
function ipv6Kind(text: string): string | undefined {
	const g = parseIpv6(text);
	if (!g) return undefined;
	const zerosUpTo = (n: number) => g.slice(0, n).every((group) => group === 0);
	const embeddedV4 = ((g[6] << 16) | g[7]) >>> 0;
	if (zerosUpTo(8)) return 'an unspecified address (::)';
	if (zerosUpTo(7) && g[7] === 1) return 'a loopback address (::1)';
	if ((g[0] & 0xffc0) === 0xfe80) return 'a link-local address (fe80::/10)';
	if ((g[0] & 0xfe00) === 0xfc00) return 'a unique-local address (fc00::/7)';
	// IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach that IPv4 address.
	const mapped = zerosUpTo(5) && g[5] === 0xffff;
	const compatible = zerosUpTo(6);
	const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0);
	if (mapped || compatible || nat64) {
		const kind = kindOfV4(embeddedV4);
		return kind ? `${kind.replace(/ \(/, ' inside an IPv6 address (')}` : undefined;
	}
	return undefined;
}
