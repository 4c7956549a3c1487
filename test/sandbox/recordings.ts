/**
 * Call recordings as the providers serve them: real WAV audio, relative paths on the API's own
 * origin (call-center records) and absolute URLs on a storage host of another origin (number
 * records), with faults on request: 404, a slow body, a reset mid-body, a redirect, an oversize
 * file. Every download is logged with the API headers it carried.
 */
import { createHash } from 'crypto';
import { createServer } from 'http';
import type { IncomingMessage, Server, ServerResponse } from 'http';
import { createServer as createHttpsServer } from 'https';
import type { AddressInfo } from 'net';

import type { TestCertificate } from '../network/certificate';
import { makeCertificate } from '../network/certificate';

/** Where number records point before the sandbox knows its storage host's address. */
export const STORAGE_PLACEHOLDER = 'https://files.example.invalid';

/** Where a recording was asked for: the API's origin, the storage host, or the https mirror. */
export type RecordingHost = 'api' | 'storage' | 'https';

export interface RecordingRequest {
	host: RecordingHost;
	path: string;
	/** The API headers it carried; none should reach another origin. */
	apiKey?: string;
	sign?: string;
	timestamp?: string;
	at: number;
	answer: string;
}

export type RecordingFaultKind =
	| 'notFound' // HTTP 404
	| 'http' // another status (httpStatus)
	| 'slowBody' // the body in small chunks, chunkDelayMs apart
	| 'resetMidBody' // half the body, then the connection dropped
	| 'redirect' // 302 to `location` (a path is taken on the same host)
	| 'oversize'; // `bytes` of audio instead of the usual size, with no Content-Length

export interface RecordingFault {
	kind: RecordingFaultKind;
	/** Only paths containing this; any path when absent. */
	path?: string;
	host?: RecordingHost;
	/** How many matching downloads it hits; default 1. */
	times?: number;
	httpStatus?: number;
	location?: string;
	chunkDelayMs?: number;
	bytes?: number;
}

/** Bytes per second of the generated audio: 8 kHz, 16-bit, mono, as telephony records. */
const BYTE_RATE = 16_000;

const toneSeconds = new Map<number, Buffer>();

/** One second of a sine tone at `pitch` Hz: whole periods, so it repeats without a click. */
function oneSecondOf(pitch: number): Buffer {
	let block = toneSeconds.get(pitch);
	if (!block) {
		block = Buffer.alloc(BYTE_RATE);
		for (let i = 0; i < BYTE_RATE / 2; i++) block.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * pitch * i) / 8000)), i * 2);
		toneSeconds.set(pitch, block);
	}
	return block;
}

/**
 * A WAV file of `size` bytes for `path`: a tone whose pitch comes from the path, with the path's
 * digest stamped at the start, middle and end of the samples, so that no two recordings share
 * their bytes and the same path always gives the same ones.
 */
export function recordingBytes(path: string, size: number): Buffer {
	const dataBytes = Math.max(0, size - 44) & ~1;
	const wav = Buffer.alloc(44 + dataBytes);
	wav.write('RIFF', 0, 'ascii');
	wav.writeUInt32LE(36 + dataBytes, 4);
	wav.write('WAVEfmt ', 8, 'ascii');
	wav.writeUInt32LE(16, 16);
	wav.writeUInt16LE(1, 20); // PCM
	wav.writeUInt16LE(1, 22); // mono
	wav.writeUInt32LE(8000, 24);
	wav.writeUInt32LE(BYTE_RATE, 28);
	wav.writeUInt16LE(2, 32);
	wav.writeUInt16LE(16, 34);
	wav.write('data', 36, 'ascii');
	wav.writeUInt32LE(dataBytes, 40);
	const digest = createHash('sha256').update(path).digest();
	if (dataBytes === 0) return wav;
	wav.fill(oneSecondOf(300 + (digest.readUInt16LE(0) % 600)), 44);
	for (const at of [44, 44 + (dataBytes >> 1), wav.length - digest.length]) digest.copy(wav, Math.max(44, at));
	return wav;
}

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** The storage host (plain http, another port: another origin) and, on request, an https mirror of it. */
export class RecordingStore {
	storageUrl = '';
	httpsUrl = '';
	/** Size of each generated recording, in bytes. */
	size: number;
	readonly requests: RecordingRequest[] = [];
	private faults: Array<RecordingFault & { left: number }> = [];
	private storage: Server | undefined;
	private mirror: Server | undefined;
	private readonly cache = new Map<string, Buffer>();

	constructor(
		size: number,
		/** The API's latency, applied to each download's first byte as to a page. */
		private readonly latencyMs: () => number,
		/** The name the storage host's URLs use instead of 127.0.0.1. */
		private readonly hostName?: string,
		/** The https mirror's certificate (the sandbox's own when it serves TLS); one made for it otherwise. */
		private readonly certificate?: TestCertificate,
	) {
		this.size = size;
	}

	async start(): Promise<void> {
		this.storage = createServer((req, res) => this.serve('storage', req, res));
		this.storageUrl = await listen(this.storage);
		if (this.hostName) this.storageUrl = this.storageUrl.replace('127.0.0.1', this.hostName);
	}

	/** Starts an https copy of the storage host (a redirect target), with a self-signed certificate. */
	async startHttpsMirror(): Promise<string> {
		if (!this.mirror) {
			this.mirror = createHttpsServer(this.certificate ?? makeCertificate(), (req, res) => this.serve('https', req, res));
			this.httpsUrl = (await listen(this.mirror)).replace(/^http:/, 'https:');
		}
		return this.httpsUrl;
	}

	async stop(): Promise<void> {
		for (const server of [this.storage, this.mirror]) {
			if (!server) continue;
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
		this.storage = this.mirror = undefined;
	}

	inject(fault: RecordingFault): void {
		this.faults.push({ ...fault, left: fault.times ?? 1 });
	}

	reset(): void {
		this.faults = [];
		this.requests.length = 0;
	}

	/** The bytes a path serves now. */
	bytesOf(path: string): Buffer {
		const key = `${this.size}:${path}`;
		let bytes = this.cache.get(key);
		if (!bytes) {
			bytes = recordingBytes(path.replace(/^\/+/, ''), this.size);
			if (this.cache.size > 64) this.cache.clear();
			this.cache.set(key, bytes);
		}
		return bytes;
	}

	/** Whether a path is a recording this sandbox serves (on the API origin, call-center files). */
	static isApiRecordingPath(path: string): boolean {
		return /^\/agent-call-record\/[\w.-]+\.wav$/.test(path);
	}

	/** Answers a recording download; the API origin's server hands its recording requests here. */
	serve(host: RecordingHost, req: IncomingMessage, res: ServerResponse): void {
		const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
		const entry: RecordingRequest = {
			host,
			path,
			apiKey: req.headers['api-key'] as string | undefined,
			sign: req.headers.sign as string | undefined,
			timestamp: req.headers.timestamp as string | undefined,
			at: Date.now(),
			answer: '',
		};
		this.requests.push(entry);
		const known = RecordingStore.isApiRecordingPath(path) || (host !== 'api' && /^\/rec\/[\w.-]+\.wav$/.test(path));
		const fault = known ? this.takeFault(host, path) : undefined;
		const respond = () => this.answer(entry, res, known, fault);
		const wait = this.latencyMs();
		if (wait > 0) setTimeout(respond, wait);
		else respond();
	}

	private answer(entry: RecordingRequest, res: ServerResponse, known: boolean, fault: RecordingFault | undefined): void {
		const audio = (bytes: Buffer, withLength = true) =>
			res.writeHead(200, { 'Content-Type': 'audio/wav', ...(withLength ? { 'Content-Length': String(bytes.length) } : {}) });
		if (!known || fault?.kind === 'notFound') {
			entry.answer = 'HTTP 404';
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			res.end('Not Found');
			return;
		}
		switch (fault?.kind) {
			case 'http':
				entry.answer = `HTTP ${fault.httpStatus ?? 500}`;
				res.writeHead(fault.httpStatus ?? 500, { 'Content-Type': 'text/plain' });
				res.end('Injected failure');
				return;
			case 'redirect': {
				entry.answer = 'redirect';
				res.writeHead(302, { Location: fault.location ?? '/' });
				res.end();
				return;
			}
			case 'oversize': {
				entry.answer = 'oversize';
				const bytes = recordingBytes(entry.path, fault.bytes ?? this.size * 4);
				audio(bytes, false);
				res.end(bytes);
				return;
			}
			case 'resetMidBody': {
				entry.answer = 'reset mid-body';
				const bytes = this.bytesOf(entry.path);
				audio(bytes);
				res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
				return;
			}
			case 'slowBody': {
				entry.answer = 'slow body';
				const bytes = this.bytesOf(entry.path);
				audio(bytes);
				const chunks = 8;
				const step = Math.ceil(bytes.length / chunks);
				let at = 0;
				const next = () => {
					if (res.destroyed) return;
					const end = Math.min(bytes.length, at + step);
					res.write(bytes.subarray(at, end));
					at = end;
					if (at >= bytes.length) res.end();
					else setTimeout(next, fault.chunkDelayMs ?? 100);
				};
				next();
				return;
			}
			default: {
				entry.answer = 'HTTP 200';
				const bytes = this.bytesOf(entry.path);
				audio(bytes);
				res.end(bytes);
			}
		}
	}

	private takeFault(host: RecordingHost, path: string): RecordingFault | undefined {
		const index = this.faults.findIndex((f) => f.left > 0 && (f.host === undefined || f.host === host) && (f.path === undefined || path.includes(f.path)));
		if (index < 0) return undefined;
		const fault = this.faults[index];
		if (--fault.left <= 0) this.faults.splice(index, 1);
		return fault;
	}
}

async function listen(server: Server): Promise<string> {
	server.keepAliveTimeout = 120_000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
