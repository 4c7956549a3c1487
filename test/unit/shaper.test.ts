/**
 * The round-trip shaper the HTTPS benchmark puts between n8n and the sandbox: a new connection's
 * TLS request costs the TCP handshake, the TLS 1.3 handshake and the request itself, one round
 * trip each, and a reused connection costs one; bytes keep their order.
 */
import { Agent as HttpsAgent, createServer as createHttpsServer, request } from 'https';
import type { Agent } from 'https';
import { createServer as createTcpServer, connect } from 'net';
import type { AddressInfo, Server } from 'net';

import { makeCertificate } from '../network/certificate';
import type { Shaper } from '../network/shaper';
import { startShaper } from '../network/shaper';

const RTT = 200;
const certificate = makeCertificate();
let https: Server;
let shaper: Shaper;

beforeAll(async () => {
	https = createHttpsServer(certificate, (_req, res) => res.end('ok'));
	await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
	shaper = await startShaper({ host: '127.0.0.1', port: (https.address() as AddressInfo).port }, RTT);
});
afterAll(async () => {
	await shaper.close();
	await new Promise<void>((resolve) => https.close(() => resolve()));
});

/** A GET's time from the moment its socket is ready (connected, or handed out by the agent): the client's own start-up is not the link's. */
function get(agent: Agent): Promise<{ ms: number; protocol: string }> {
	let started = performance.now();
	return new Promise((ok, fail) => {
		const req = request(`${shaper.url('https')}/`, { agent, ca: certificate.cert }, (res) => {
			const protocol = (res.socket as import('tls').TLSSocket).getProtocol() ?? '';
			res.resume();
			res.on('end', () => ok({ ms: performance.now() - started, protocol }));
		});
		req.on('socket', (socket) => {
			if (socket.connecting) socket.once('connect', () => (started = performance.now()));
			else started = performance.now();
		});
		req.on('error', fail);
		req.end();
	});
}

test('a request on a new TLS 1.3 connection takes three round trips; on a kept-alive one, one', async () => {
	const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1, ca: certificate.cert });
	try {
		const first = await get(agent);
		const second = await get(agent);
		expect(first.protocol).toBe('TLSv1.3');
		// TCP (paid after connect, as the proxy holds the first bytes), TLS 1.3, the request: a loaded machine adds, never takes away.
		expect(first.ms).toBeGreaterThanOrEqual(3 * RTT - 5);
		expect(first.ms).toBeLessThan(4 * RTT);
		expect(second.ms).toBeGreaterThanOrEqual(RTT - 5);
		expect(second.ms).toBeLessThan(2 * RTT);
	} finally {
		agent.destroy();
	}
});

test('bytes arrive whole and in order both ways', async () => {
	const echo: Server = createTcpServer((socket) => socket.pipe(socket));
	await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
	const line = await startShaper({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port }, 10);
	try {
		const sent = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
		const received = await new Promise<Buffer>((ok, fail) => {
			const socket = connect(line.port, '127.0.0.1');
			const chunks: Buffer[] = [];
			socket.on('data', (chunk) => chunks.push(chunk));
			socket.on('end', () => ok(Buffer.concat(chunks)));
			socket.on('error', fail);
			// Written in many small pieces, then ended: the echo ends too once all came back.
			for (let at = 0; at < sent.length; at += 1_000) socket.write(sent.subarray(at, at + 1_000));
			socket.end();
		});
		expect(received.equals(sent)).toBe(true);
		expect(line.stats().connections).toBe(1);
	} finally {
		await line.close();
		await new Promise<void>((resolve) => echo.close(() => resolve()));
	}
});
