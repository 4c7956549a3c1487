/**
 * A round-trip shaper: a TCP proxy on 127.0.0.1 in front of a server, delaying each direction by
 * half the round-trip time (RTT), so that a client pays for its TCP and TLS handshakes what it
 * would pay across a real link. TLS passes through untouched (the proxy sees bytes only).
 *
 * The client's connect completes at once on loopback, where a real one waits a round trip for
 * the SYN-ACK: so nothing the client sends reaches the server before 1.5 RTT after it connected
 * (the handshake's round trip, then half of one on the way). Each later chunk takes half an RTT.
 * Chunks keep their order in each direction, and an end follows the data before it. Bandwidth
 * and TCP slow start are not modelled: a large answer on a fresh connection would take a few
 * more round trips on a real link.
 */
import { createServer, connect } from 'net';
import type { AddressInfo, Server, Socket } from 'net';

export interface ShaperStats {
	/** Connections accepted since the last reset. */
	connections: number;
	/** When the first was accepted and when the last byte (or end) was handed to a client, in ms (performance.now()). */
	firstAt?: number;
	lastAt?: number;
}

export interface Shaper {
	/** Where clients connect: `${scheme}://127.0.0.1:<port>`. */
	url: (scheme: 'http' | 'https') => string;
	port: number;
	/** The round trip applied to connections accepted from now on. */
	rttMs: number;
	stats: () => ShaperStats;
	resetStats: () => void;
	close: () => Promise<void>;
}

/** Delivers chunks to `out` in order, each not before its due time. */
class DelayLine {
	private readonly queue: Array<{ due: number; chunk?: Buffer }> = [];
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly out: Socket,
		private readonly delivered: () => void,
	) {}

	/** `chunk` undefined: the end of the stream. */
	push(due: number, chunk?: Buffer): void {
		this.queue.push({ due, chunk });
		if (!this.timer) this.arm();
	}

	clear(): void {
		clearTimeout(this.timer);
		this.queue.length = 0;
	}

	private arm(): void {
		const head = this.queue[0];
		if (!head) return;
		this.timer = setTimeout(() => this.flush(), Math.max(0, head.due - performance.now()));
	}

	private flush(): void {
		this.timer = undefined;
		const now = performance.now();
		while (this.queue.length > 0 && this.queue[0].due <= now + 0.5) {
			const { chunk } = this.queue.shift()!;
			if (this.out.destroyed) continue;
			if (chunk) this.out.write(chunk);
			else this.out.end();
			this.delivered();
		}
		this.arm();
	}
}

export async function startShaper(target: { host: string; port: number }, rttMs: number): Promise<Shaper> {
	let stats: ShaperStats = { connections: 0 };
	const sockets = new Set<Socket>();
	const shaper = {} as Shaper;
	shaper.rttMs = rttMs;
	// Half-open: an end travels through the line like data, so each side ends only when told to.
	const server: Server = createServer({ allowHalfOpen: true }, (client) => {
		const acceptedAt = performance.now();
		const half = shaper.rttMs / 2;
		// The client's first bytes leave after the TCP handshake's round trip, then take half of one.
		const openAt = acceptedAt + shaper.rttMs + half;
		stats.connections++;
		stats.firstAt ??= acceptedAt;
		const upstream = connect({ port: target.port, host: target.host, allowHalfOpen: true });
		for (const socket of [client, upstream]) {
			socket.setNoDelay(true);
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		}
		const toServer = new DelayLine(upstream, () => {});
		const toClient = new DelayLine(client, () => (stats.lastAt = performance.now()));
		client.on('data', (chunk) => toServer.push(Math.max(performance.now() + half, openAt), chunk));
		client.on('end', () => toServer.push(Math.max(performance.now() + half, openAt)));
		upstream.on('data', (chunk) => toClient.push(performance.now() + half, chunk));
		upstream.on('end', () => toClient.push(performance.now() + half));
		// A reset on either side resets the other, half a round trip later.
		const drop = (other: Socket, line: DelayLine) => () => {
			line.clear();
			setTimeout(() => other.destroy(), half);
		};
		client.on('error', drop(upstream, toServer));
		upstream.on('error', drop(client, toClient));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	shaper.port = port;
	shaper.url = (scheme) => `${scheme}://127.0.0.1:${port}`;
	shaper.stats = () => ({ ...stats });
	shaper.resetStats = () => (stats = { connections: 0 });
	shaper.close = async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	return shaper;
}
