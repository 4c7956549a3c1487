/**
 * The API sandbox: a real HTTP server on 127.0.0.1 that models the providers' endpoints as
 * their documents describe them (signatures, clock skew, paging, window rules, quirks) over a
 * seeded data set, and injects latency, HTTP errors, provider statuses and broken bodies on
 * request. Tests, the benchmark and the demo all run against it.
 */
import { createServer } from 'http';
import type { IncomingMessage, Server, ServerResponse } from 'http';
import { createServer as createHttpsServer } from 'https';
import type { AddressInfo } from 'net';
import type { TLSSocket } from 'tls';

import { computeSign } from '../../nodes/transport/signature';
import type { TestCertificate } from '../network/certificate';
import { ZoneClock } from '../../nodes/transport/time';
import { DAY_MS } from '../../nodes/transport/windows';
import { callCenterFilter, makeCallCenterRecord, withUndocumentedSeatId } from './endpoints/callCenterRecords';
import { FLASH_CALL_MAX_ROWS, NXCLOUD_DEMO_APP, makeFlashCall } from './endpoints/flashCalls';
import { makeNumberRecord } from './endpoints/numberRecords';
import { VOICE_MAX_WINDOW_DAYS, makeVoiceRecord, voiceHorizonMs } from './endpoints/voiceRecords';
import { seededRandom } from './random';
import { RecordingStore, STORAGE_PLACEHOLDER } from './recordings';
import type { StoredRecord } from './store';
import { sortNewestFirst, spreadRecords } from './store';

export type EndpointName = 'numberRecords' | 'callCenterRecords' | 'voiceRecords' | 'flashCalls';

type RecordMaker = (random: () => number, seq: number, startMs: number, clock: ZoneClock) => StoredRecord;

const MAKERS: Record<EndpointName, RecordMaker> = {
	numberRecords: makeNumberRecord,
	callCenterRecords: makeCallCenterRecord,
	voiceRecords: makeVoiceRecord,
	flashCalls: makeFlashCall,
};

/** How this NXCloud server spells what its documents spell two ways. */
export interface NxCloudDialect {
	paths: string[];
	secretParam: 'secretkey' | 'appsecret';
}

/** Endpoints whose documented sample answers `status` as a number rather than a string. */
const NUMERIC_STATUS: ReadonlySet<EndpointName> = new Set(['callCenterRecords']);

export const CALL_CENTER_MAX_WINDOW_DAYS = 93;

export interface DatasetSpec {
	count: number;
	from: string;
	to: string;
	/** Records fall on multiples of this many ms after `from` (many share a second); 1000 by default. */
	granularityMs?: number;
}

export type FaultKind =
	| 'http' // an HTTP error status (httpStatus, optional retryAfter)
	| 'status' // a provider status in a 200 answer (status, reason)
	| 'reset' // the connection is dropped without an answer
	| 'html' // an HTML error page with HTTP 200
	| 'invalidJson' // 200 with a body that is not JSON
	| 'truncated' // 200 with the JSON cut in half
	| 'repeatPage' // the previous page's records again
	| 'emptyPage' // no records, though the total says otherwise
	| 'wrongTotal' // a total larger than the records it serves
	| 'hang'; // no answer for `hangMs` (a time-out for the client)

export interface Fault {
	kind: FaultKind;
	endpoint?: EndpointName;
	/** Only requests for this page (the body's `current`). */
	page?: number;
	/** How many matching requests it hits; default 1. */
	times?: number;
	httpStatus?: number;
	retryAfter?: string;
	/** A Location header for an 'http' fault (a redirect). */
	location?: string;
	status?: string | number;
	reason?: string;
	hangMs?: number;
}

/**
 * Live filing: the provider files new calls while a read runs. Each request to the endpoint
 * files `perRequest` records (the whole part always, the fraction as a chance) just before its
 * answer is read from the store, at random start times in [fromMs, toMs] (toMs omitted: up to
 * the moment of filing), so anywhere in a newest-first listing, not only at its head.
 */
export interface LiveFiling {
	endpoint: EndpointName;
	perRequest: number;
	fromMs: number;
	toMs?: number;
	/**
	 * Each request's answer is read from the store a random 0 to serveJitterMs after it arrives
	 * (its latency still runs from arrival), as a server whose queries take varying time: parallel
	 * pages are then served out of order.
	 */
	serveJitterMs?: number;
}

export interface SandboxAccount {
	apiKey: string;
	apiSecret: string;
}

export interface SandboxOptions {
	seed?: number;
	/** Zone of the offset-less times the API writes (the account's zone). */
	timeZone?: string;
	numberRecords?: DatasetSpec;
	callCenterRecords?: DatasetSpec;
	voiceRecords?: DatasetSpec;
	flashCalls?: DatasetSpec;
	nxcloud?: Partial<NxCloudDialect>;
	accounts?: SandboxAccount[];
	latencyMs?: number;
	/** How far the sandbox's clock is ahead of the machine's, to provoke -16. */
	clockSkewSeconds?: number;
	port?: number;
	/** Size of each recording served, in bytes (a WAV file); 32 KB by default. */
	recordingBytes?: number;
	/** The host name number records' recording URLs give the storage host (127.0.0.1 by default), e.g. one /etc/hosts maps to it. */
	recordingHostName?: string;
	/**
	 * A Timestamp accepted however old (its signature still checked): for `npm run bench:n8n`
	 * only, where n8n's HTTP Request node sends one fixed signature on every page.
	 */
	acceptTimestamp?: string;
	/**
	 * Call-center records also carry `seatId`, the agent's id, which the document names only as a
	 * request filter (never in an answer): for tests of records that carry it anyway.
	 */
	undocumentedSeatId?: boolean;
	/** Serve the API (and the recordings' https mirror) over TLS with this certificate: the URL is https. */
	tls?: TestCertificate;
}

export interface LoggedRequest {
	method: string;
	path: string;
	endpoint?: EndpointName;
	body: Record<string, any> | undefined;
	headers: Record<string, string | undefined>;
	query: Record<string, string>;
	at: number;
	inFlight: number;
	answer?: string;
	/** When the answer may leave: arrival plus the latency then set. */
	dueAt?: number;
	/** The TLS version the connection negotiated (TLSv1.3, ...), when the sandbox serves TLS. */
	tls?: string;
	/** How many records the answer held (a page's records, NXCloud's cdrs). */
	rows?: number;
}

export const DEMO_ACCOUNT: SandboxAccount = { apiKey: 'demo-api-key', apiSecret: 'demo-api-secret' };
export const MAX_CLOCK_SKEW_SECONDS = 300;

// The documents write ISO 8601 as …+08:00; like a strict server, `Z` is not accepted in its place.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

export class Sandbox {
	url = '';
	readonly requests: LoggedRequest[] = [];
	/** Every window an endpoint was asked for, in whole seconds, oldest first. */
	readonly windows: Array<{ endpoint: EndpointName; fromMs: number; toMs: number; at: number }> = [];
	maxInFlight = 0;
	latencyMs: number;
	clockSkewSeconds: number;
	readonly timeZone: string;
	readonly accounts: SandboxAccount[];
	readonly stores: Record<EndpointName, StoredRecord[]>;
	nxcloud: NxCloudDialect;
	/** The recordings: call-center files on this origin, number-record files on a storage host. */
	readonly recordings: RecordingStore;

	private server: Server | undefined;
	private inFlight = 0;
	private faults: Array<Fault & { left: number }> = [];
	private throttle: { maxInFlight: number; kind: '429' | '-18'; retryAfter?: string } | undefined;
	private inserts: Array<{ endpoint: EndpointName; afterRequests: number; count: number; fromMs: number; toMs: number }> = [];
	private liveFiling: LiveFiling | undefined;
	/** The ids live filing added, in filing order. */
	readonly liveFiled: string[] = [];
	/** Each stored record's JSON per form (see wireRecords); stored records are never changed in place. */
	private readonly wireTexts = { wire: new WeakMap<StoredRecord, string>(), withExtra: new WeakMap<StoredRecord, string>() };
	/**
	 * Endpoints whose window selects records by when they were filed (created), not by when the
	 * call started, as some providers' list queries do (see selectBy); newest filed first.
	 */
	private readonly selectByFiled = new Set<EndpointName>();
	/** Endpoints holding records filed late (see addRecords): only their queries check each record. */
	private readonly lateStores = new Set<EndpointName>();
	private readonly random: () => number;
	private insertedSeq = 0;

	constructor(private readonly options: SandboxOptions = {}) {
		this.timeZone = options.timeZone ?? 'Asia/Shanghai';
		this.accounts = options.accounts ?? [DEMO_ACCOUNT];
		this.latencyMs = options.latencyMs ?? 0;
		this.clockSkewSeconds = options.clockSkewSeconds ?? 0;
		const seed = options.seed ?? 42;
		this.random = seededRandom(seed ^ 0x5eed);
		const clock = new ZoneClock(this.timeZone);
		const generate = (endpoint: EndpointName, index: number) => {
			const spec = options[endpoint];
			if (!spec) return [];
			const random = seededRandom(seed + index * 7919);
			const make = MAKERS[endpoint];
			const records = spreadRecords(random, spec.count, Date.parse(spec.from), Date.parse(spec.to), (seq, startMs) => make(random, seq, startMs, clock), 0, spec.granularityMs);
			return endpoint === 'callCenterRecords' && options.undocumentedSeatId ? records.map(withUndocumentedSeatId) : records;
		};
		this.stores = {
			numberRecords: generate('numberRecords', 0),
			callCenterRecords: generate('callCenterRecords', 1),
			voiceRecords: generate('voiceRecords', 2),
			flashCalls: generate('flashCalls', 3),
		};
		this.nxcloud = { paths: ['/otp/call/list'], secretParam: 'secretkey', ...options.nxcloud };
		this.recordings = new RecordingStore(options.recordingBytes ?? 32_044, () => this.latencyMs, options.recordingHostName, options.tls);
	}

	async start(): Promise<this> {
		await this.recordings.start();
		const handler = (req: IncomingMessage, res: ServerResponse) => {
			this.handle(req, res).catch((error) => {
				res.statusCode = 500;
				res.end(String(error));
			});
		};
		this.server = this.options.tls ? createHttpsServer(this.options.tls, handler) : createServer(handler);
		// Longer than a client may sit idle between calls (an e2e test waits on n8n), so an idle
		// keep-alive socket is not closed under it.
		this.server.keepAliveTimeout = 120_000;
		await new Promise<void>((resolve) => this.server!.listen(this.options.port ?? 0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
		return this;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		await this.recordings.stop();
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Adds a fault; it fires on the next matching requests. */
	inject(fault: Fault): this {
		this.faults.push({ ...fault, left: fault.times ?? 1 });
		return this;
	}

	/** Answers 429 (or status -18) whenever more than `maxInFlight` requests are open. */
	setThrottle(throttle: { maxInFlight: number; kind: '429' | '-18'; retryAfter?: string } | undefined): this {
		this.throttle = throttle;
		return this;
	}

	/** After `afterRequests` requests to the endpoint, files `count` new records inside [fromMs, toMs]. */
	insertDuringPaging(insert: { endpoint: EndpointName; afterRequests: number; count: number; fromMs: number; toMs: number }): this {
		this.inserts.push(insert);
		return this;
	}

	/** Starts (or with undefined, stops) live filing; see LiveFiling. */
	fileWhileReading(filing: LiveFiling | undefined): this {
		this.liveFiling = filing;
		return this;
	}

	/** Which time an endpoint's window selects on: the call's start (the default) or the record's filing. */
	selectBy(endpoint: EndpointName, time: 'start' | 'filed'): this {
		if (time === 'filed') this.selectByFiled.add(endpoint);
		else this.selectByFiled.delete(endpoint);
		return this;
	}

	/** Clears faults, throttling, inserts, the request log, latency and the selection time. */
	reset(): this {
		this.faults = [];
		this.throttle = undefined;
		this.inserts = [];
		this.liveFiling = undefined;
		this.liveFiled.length = 0;
		this.requests.length = 0;
		this.windows.length = 0;
		this.maxInFlight = 0;
		this.latencyMs = this.options.latencyMs ?? 0;
		this.clockSkewSeconds = this.options.clockSkewSeconds ?? 0;
		this.recordings.reset();
		this.recordings.size = this.options.recordingBytes ?? 32_044;
		this.selectByFiled.clear();
		return this;
	}

	/**
	 * Files new records spread over [fromMs, toMs]. With `writeDelayMaxMs`, each becomes visible
	 * only some time after it happened (up to that delay), as providers file records late.
	 */
	addRecords(endpoint: EndpointName, count: number, fromMs: number, toMs: number, writeDelayMaxMs?: number): StoredRecord[] {
		const clock = new ZoneClock(this.timeZone);
		const make = MAKERS[endpoint];
		const added = spreadRecords(this.random, count, fromMs, toMs, (seq, startMs) => make(this.random, seq, startMs, clock), 900_000 + this.insertedSeq);
		if (writeDelayMaxMs !== undefined) {
			for (const r of added) r.writtenMs = r.startMs + Math.floor(this.random() * writeDelayMaxMs);
			this.lateStores.add(endpoint);
		}
		this.insertedSeq += count;
		this.stores[endpoint] = sortNewestFirst([...this.stores[endpoint], ...added]);
		return added;
	}

	/** A stored record as the endpoint sends it: its recording URL on this sandbox's storage host. */
	asSent(record: StoredRecord): Record<string, unknown> {
		return JSON.parse(JSON.stringify(record.wire).split(STORAGE_PLACEHOLDER).join(this.recordings.storageUrl));
	}

	/** The records a query for [fromMs, toMs] (both ends inclusive) covers, in the API's order. */
	recordsIn(endpoint: EndpointName, fromMs: number, toMs: number, filter?: (wire: Record<string, any>) => boolean): StoredRecord[] {
		const window = this.windowOf(endpoint, fromMs, toMs, filter);
		return window.slice(0, window.length);
	}

	/**
	 * The same records as a count and a way to read a run of them. Without filters or late
	 * records only the run asked for is copied: a provider reads one page from its index, not the
	 * whole window, and copying 100,000 rows per page made the sandbox's CPU, which shares the
	 * machine with the client, a cost of the benchmark.
	 */
	private windowOf(endpoint: EndpointName, fromMs: number, toMs: number, filter?: (wire: Record<string, any>) => boolean): RecordRun {
		const list = this.stores[endpoint];
		if (this.selectByFiled.has(endpoint)) {
			const now = Date.now();
			const filed = (r: StoredRecord) => r.writtenMs ?? r.startMs;
			return list
				.filter((r) => filed(r) >= fromMs && filed(r) <= toMs && filed(r) <= now && (!filter || filter(r.wire)))
				.sort((a, b) => filed(b) - filed(a));
		}
		// Stores are newest first: find the window by binary search rather than scanning them whole.
		const firstAtOrBefore = (ms: number) => {
			let lo = 0;
			let hi = list.length;
			while (lo < hi) {
				const mid = (lo + hi) >>> 1;
				if (list[mid].startMs > ms) lo = mid + 1;
				else hi = mid;
			}
			return lo;
		};
		const start = firstAtOrBefore(toMs);
		const end = Math.max(start, firstAtOrBefore(fromMs - 1));
		if (!filter && !this.lateStores.has(endpoint)) {
			return { length: end - start, slice: (from, to) => list.slice(start + from, start + Math.min(to, end - start)) };
		}
		const now = Date.now();
		return list.slice(start, end).filter((r) => (r.writtenMs === undefined || r.writtenMs <= now) && (!filter || filter(r.wire)));
	}

	/** An endpoint's query: the window as the provider reads it (whole seconds, both ends inclusive), logged for the tests. */
	private queryWindow(endpoint: EndpointName, fromMs: number, toMs: number, filter?: (wire: Record<string, any>) => boolean): RecordRun {
		const [from, to] = [fromMs, toMs].map((ms) => Math.floor(ms / 1000) * 1000);
		this.windows.push({ endpoint, fromMs: from, toMs: to, at: Date.now() });
		return this.windowOf(endpoint, from, to, filter);
	}

	private takeFault(endpoint: EndpointName | undefined, page: number | undefined): Fault | undefined {
		const index = this.faults.findIndex(
			(f) => f.left > 0 && (f.endpoint === undefined || f.endpoint === endpoint) && (f.page === undefined || f.page === page),
		);
		if (index < 0) return undefined;
		const fault = this.faults[index];
		fault.left--;
		if (fault.left <= 0) this.faults.splice(index, 1);
		return fault;
	}

	/**
	 * The control API, for a sandbox running in another process (benchmark, end-to-end tests):
	 * POST /__sandbox/{reset,latency,throttle,inject,add,clear,remove,insertDuringPaging,liveFiling,recordingFault,recordingSize},
	 * GET /__sandbox/{stats,requests,windows,records,wire,recordings,liveFiled}.
	 */
	private async control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const text = await readBody(req);
		const body = text ? JSON.parse(text) : {};
		const reply = (data: unknown) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(data ?? { ok: true }));
		};
		switch (url.pathname) {
			case '/__sandbox/reset':
				return reply(this.reset() && undefined);
			case '/__sandbox/latency':
				this.latencyMs = Number(body.ms ?? 0);
				return reply(undefined);
			case '/__sandbox/throttle':
				return reply(this.setThrottle(body.maxInFlight ? body : undefined) && undefined);
			case '/__sandbox/inject':
				return reply(this.inject(body) && undefined);
			case '/__sandbox/clear':
				this.stores[body.endpoint as EndpointName] = [];
				return reply(undefined);
			case '/__sandbox/remove': {
				const ids = new Set((body.ids as unknown[]).map(String));
				this.stores[body.endpoint as EndpointName] = this.stores[body.endpoint as EndpointName].filter((record) => !ids.has(record.id));
				return reply(undefined);
			}
			case '/__sandbox/insertDuringPaging':
				return reply(this.insertDuringPaging(body) && undefined);
			case '/__sandbox/liveFiling':
				return reply(this.fileWhileReading(body.endpoint ? body : undefined) && undefined);
			case '/__sandbox/liveFiled':
				return reply({ ids: this.liveFiled });
			case '/__sandbox/add':
				return reply({ ids: this.addRecords(body.endpoint, Number(body.count), Number(body.fromMs), Number(body.toMs)).map((r) => r.id) });
			case '/__sandbox/recordingFault':
				this.recordings.inject(body);
				return reply(undefined);
			case '/__sandbox/recordingSize':
				this.recordings.size = Number(body.bytes);
				return reply(undefined);
			case '/__sandbox/recordings':
				return reply({ storageUrl: this.recordings.storageUrl, size: this.recordings.size, requests: this.recordings.requests });
			case '/__sandbox/stats': {
				const answers: Record<string, number> = {};
				const tls: Record<string, number> = {};
				for (const r of this.requests) {
					answers[r.answer ?? 'none'] = (answers[r.answer ?? 'none'] ?? 0) + 1;
					if (r.tls) tls[r.tls] = (tls[r.tls] ?? 0) + 1;
				}
				return reply({ requests: this.requests.length, maxInFlight: this.maxInFlight, answers, tls });
			}
			case '/__sandbox/requests':
				return reply(this.requests.map((r) => ({ at: r.at, inFlight: r.inFlight, body: r.body, query: r.query, answer: r.answer })));
			case '/__sandbox/windows':
				return reply({ windows: this.windows.filter((w) => w.endpoint === url.searchParams.get('endpoint')) });
			case '/__sandbox/wire': {
				// The records of a window in their wire form (number records with the /v3 path's extra fields when asked).
				const endpoint = url.searchParams.get('endpoint') as EndpointName;
				const extra = url.searchParams.get('extra') === 'true';
				const records = this.recordsIn(endpoint, Number(url.searchParams.get('from')), Number(url.searchParams.get('to')));
				return reply({ records: records.map((r) => (extra ? { ...r.wire, ...r.extra } : r.wire)) });
			}
			case '/__sandbox/records': {
				const endpoint = url.searchParams.get('endpoint') as EndpointName;
				const ids = this.recordsIn(endpoint, Number(url.searchParams.get('from')), Number(url.searchParams.get('to'))).map((r) => r.id);
				return reply({ ids });
			}
			default:
				res.writeHead(404);
				res.end();
		}
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		if (req.url?.startsWith('/__sandbox/')) return await this.control(req, res, new URL(req.url, 'http://sandbox'));
		if (req.method === 'GET' && RecordingStore.isApiRecordingPath(new URL(req.url ?? '/', 'http://sandbox').pathname)) return this.recordings.serve('api', req, res);
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		const inFlightAtArrival = this.inFlight;
		res.on('close', () => this.inFlight--);
		const url = new URL(req.url ?? '/', 'http://sandbox');
		const text = await readBody(req);
		let body: Record<string, any> | undefined;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			body = undefined;
		}
		const endpoint = this.route(req.method ?? 'GET', url.pathname);
		const entry: LoggedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			endpoint,
			body,
			headers: {
				timestamp: req.headers.timestamp as string | undefined,
				'api-key': req.headers['api-key'] as string | undefined,
				sign: req.headers.sign as string | undefined,
			},
			query: Object.fromEntries(url.searchParams),
			at: Date.now(),
			inFlight: inFlightAtArrival,
			tls: (req.socket as Partial<TLSSocket>).getProtocol?.() ?? undefined,
		};
		this.requests.push(entry);
		// Latency runs from arrival to answer: the answer is built now and held until it is due
		// (see deliver), so the sandbox's own work overlaps the wait as on a multi-threaded server.
		entry.dueAt = entry.at + this.latencyMs;

		if (!endpoint) return this.send(res, entry, 404, { error: 'Not Found', path: url.pathname });

		const auth = endpoint === 'flashCalls' ? this.checkAppKey(url.searchParams) : this.checkSignature(req);
		if (auth) return this.send(res, entry, 200, this.envelope(endpoint, auth.status, auth.reason));

		if (this.throttle && inFlightAtArrival > this.throttle.maxInFlight) {
			if (this.throttle.kind === '429') {
				const headers = this.throttle.retryAfter ? { 'Retry-After': this.throttle.retryAfter } : undefined;
				return this.send(res, entry, 429, { error: 'Too Many Requests' }, headers);
			}
			return this.send(res, entry, 200, this.envelope(endpoint, endpoint === 'flashCalls' ? '3' : '-18', 'System anomalies'));
		}

		const page = endpoint === 'flashCalls' ? undefined : typeof body?.current === 'number' ? body.current : undefined;
		const fault = this.takeFault(endpoint, page);
		if (fault && (await this.applyFault(fault, res, entry, endpoint))) return;

		this.runInserts(endpoint);
		await this.fileLive(endpoint);
		const answer = this.answer(endpoint, entry, fault);
		return this.send(res, entry, 200, answer);
	}

	private route(method: string, path: string): EndpointName | undefined {
		if (method === 'GET') return this.nxcloud.paths.includes(path) ? 'flashCalls' : undefined;
		if (method !== 'POST') return undefined;
		if (path === '/number/record/queryPage' || path === '/v3/number/record/queryPage') return 'numberRecords';
		if (path === '/v3/cc/record/query') return 'callCenterRecords';
		if (path === '/voice/recordGroupQuery') return 'voiceRecords';
		return undefined;
	}

	private checkAppKey(query: URLSearchParams): { status: string; reason: string } | undefined {
		const ok = query.get('appkey') === NXCLOUD_DEMO_APP.appKey && query.get(this.nxcloud.secretParam) === NXCLOUD_DEMO_APP.appSecret;
		return ok ? undefined : { status: '1', reason: 'wrong appkey/secretkey' };
	}

	private checkSignature(req: IncomingMessage): { status: string; reason: string } | undefined {
		const apiKey = req.headers['api-key'];
		const timestamp = req.headers.timestamp;
		const sign = req.headers.sign;
		const account = this.accounts.find((a) => a.apiKey === apiKey);
		if (typeof timestamp !== 'string' || typeof sign !== 'string' || !account) {
			return { status: '-1', reason: 'Abnormal account authentication' };
		}
		if (computeSign(account.apiKey, account.apiSecret, timestamp) !== sign) {
			return { status: '-1', reason: 'Abnormal account authentication' };
		}
		if (this.options.acceptTimestamp !== undefined && timestamp === this.options.acceptTimestamp) return undefined;
		const serverNow = Date.now() / 1000 + this.clockSkewSeconds;
		if (!/^\d+$/.test(timestamp) || Math.abs(serverNow - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
			return { status: '-16', reason: 'Timestamp expired' };
		}
		return undefined;
	}

	/** The success or failure envelope in the endpoint's own dialect. */
	private envelope(endpoint: EndpointName, status: string | number, reason: string, data: unknown = null) {
		if (endpoint === 'flashCalls') return { code: String(status), cdrs: data ?? [] };
		return { status: NUMERIC_STATUS.has(endpoint) ? Number(status) : String(status), reason, data };
	}

	private async applyFault(fault: Fault, res: ServerResponse, entry: LoggedRequest, endpoint: EndpointName): Promise<boolean> {
		switch (fault.kind) {
			case 'http': {
				const headers = {
					...(fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}),
					...(fault.location ? { Location: fault.location } : {}),
				};
				this.send(res, entry, fault.httpStatus ?? 500, { error: `HTTP ${fault.httpStatus ?? 500}` }, headers);
				return true;
			}
			case 'status':
				this.send(res, entry, 200, this.envelope(endpoint, fault.status ?? '-18', fault.reason ?? 'Injected failure'));
				return true;
			case 'reset':
				entry.answer = 'reset';
				this.deliver(entry, () => res.socket?.destroy());
				return true;
			case 'hang':
				entry.answer = 'hang';
				await delay(fault.hangMs ?? 5_000);
				if (!res.destroyed) this.send(res, entry, 200, this.answer(endpoint, entry, undefined));
				return true;
			case 'html':
				entry.answer = 'html';
				this.deliver(entry, () => {
					res.writeHead(200, { 'Content-Type': 'text/html' });
					res.end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
				});
				return true;
			case 'invalidJson':
				entry.answer = 'invalidJson';
				this.deliver(entry, () => {
					res.writeHead(200, { 'Content-Type': 'application/json' });
					res.end('{"status": "0", "reason": success}');
				});
				return true;
			case 'truncated': {
				entry.answer = 'truncated';
				const full = answerText(this.answer(endpoint, entry, undefined));
				this.deliver(entry, () => {
					res.writeHead(200, { 'Content-Type': 'application/json' });
					res.end(full.slice(0, Math.floor(full.length / 2)));
				});
				return true;
			}
			default:
				return false; // repeatPage / emptyPage shape the normal answer
		}
	}

	private runInserts(endpoint: EndpointName): void {
		if (this.inserts.length === 0) return;
		const count = this.requests.filter((r) => r.endpoint === endpoint).length;
		for (const insert of this.inserts.filter((i) => i.endpoint === endpoint && i.afterRequests === count)) {
			this.addRecords(endpoint, insert.count, insert.fromMs, insert.toMs);
		}
	}

	private async fileLive(endpoint: EndpointName): Promise<void> {
		const filing = this.liveFiling;
		if (filing?.endpoint !== endpoint) return;
		if (filing.serveJitterMs) await delay(Math.floor(this.random() * filing.serveJitterMs));
		const count = Math.floor(filing.perRequest) + (this.random() < filing.perRequest % 1 ? 1 : 0);
		if (count === 0) return;
		const added = this.addRecords(endpoint, count, filing.fromMs, filing.toMs ?? Date.now());
		for (const record of added) this.liveFiled.push(record.id);
	}

	private answer(endpoint: EndpointName, entry: LoggedRequest, fault: Fault | undefined) {
		switch (endpoint) {
			case 'numberRecords':
				return this.numberRecordsAnswer(entry.path, entry.body, fault);
			case 'callCenterRecords':
				return this.callCenterAnswer(entry.body, fault);
			case 'voiceRecords':
				return this.voiceAnswer(entry.body, fault);
			case 'flashCalls':
				return this.flashCallAnswer(entry.query);
		}
	}

	private pageParams(body: Record<string, any> | undefined): { current: number; size: number } | string {
		const current = body?.current;
		const size = body?.size;
		if (!Number.isInteger(current) || current < 1) return 'current must be an integer of at least 1';
		if (!Number.isInteger(size) || size < 1 || size > 100) return 'size must be an integer from 1 to 100';
		return { current, size };
	}

	private numberRecordsAnswer(path: string, body: Record<string, any> | undefined, fault: Fault | undefined) {
		const paging = this.pageParams(body);
		if (typeof paging === 'string') return this.envelope('numberRecords', '-22', `Parameter exception: ${paging}`);
		const { strTime, endTime } = body?.params ?? {};
		if (typeof strTime !== 'string' || typeof endTime !== 'string' || !ISO_WITH_OFFSET.test(strTime) || !ISO_WITH_OFFSET.test(endTime)) {
			return this.envelope('numberRecords', '-22', 'Parameter exception: params.strTime and params.endTime must be ISO 8601 with offset');
		}
		const fromMs = Date.parse(strTime);
		const toMs = Date.parse(endTime);
		if (toMs < fromMs) return this.envelope('numberRecords', '-22', 'Parameter exception: endTime is before strTime');
		const withCurrency = path.startsWith('/v3/');
		const page = this.slicePage(this.queryWindow('numberRecords', fromMs, toMs), paging, fault);
		return this.envelope('numberRecords', '0', 'success', {
			...page,
			records: this.wireRecords(page.records, withCurrency ? 'withExtra' : 'wire'),
		});
	}

	/**
	 * Reads a window bound as the call-center endpoint accepts it: its sample's plain form
	 * (account zone) or ISO 8601. `key` is what the server compares: the instant of an ISO time,
	 * the wall-clock time of a plain one (as ms since 1970 on the account's clocks), as a server
	 * that stores and compares wall times does.
	 */
	private readWindowBound(value: unknown): { ms: number; key: number; plain: boolean } | undefined {
		if (typeof value !== 'string') return undefined;
		if (ISO_WITH_OFFSET.test(value)) return { ms: Date.parse(value), key: Date.parse(value), plain: false };
		const ms = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? new ZoneClock(this.timeZone).parseWall(value) : undefined;
		return ms === undefined ? undefined : { ms, key: Date.parse(`${value.replace(' ', 'T')}Z`), plain: true };
	}

	/** No paging: at most 100 rows from `start` on, oldest first; the caller moves `start` on itself. */
	private flashCallAnswer(query: Record<string, string>) {
		const plain = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
		if (!plain.test(query.start ?? '') || !plain.test(query.end ?? '')) return this.envelope('flashCalls', '7', 'bad date format');
		const clock = new ZoneClock(this.timeZone);
		const fromMs = clock.parseWall(query.start)!;
		const toMs = clock.parseWall(query.end)!;
		const window = this.wallClockWindow('flashCalls', 'gmtCreate', [fromMs, toMs], [query.start, query.end]);
		const rows = window.slice(Math.max(0, window.length - FLASH_CALL_MAX_ROWS), window.length).reverse();
		return this.envelope('flashCalls', '0', 'success', this.wireRecords(rows));
	}

	private voiceAnswer(body: Record<string, any> | undefined, fault: Fault | undefined) {
		// current and size are optional here (defaults 1 and 25), but may not be sent empty.
		const paging = this.pageParams({ current: 1, size: 25, ...body });
		if (typeof paging === 'string') return this.envelope('voiceRecords', '-22', `Parameter exception: ${paging}`);
		const { strTime, endTime } = body?.params ?? {};
		if (typeof strTime !== 'string' || typeof endTime !== 'string' || !ISO_WITH_OFFSET.test(strTime) || !ISO_WITH_OFFSET.test(endTime)) {
			return this.envelope('voiceRecords', '-22', 'Parameter exception: params.strTime and params.endTime must be ISO 8601 with offset');
		}
		const fromMs = Date.parse(strTime);
		const toMs = Date.parse(endTime);
		if (toMs < fromMs) return this.envelope('voiceRecords', '-22', 'Parameter exception: endTime is before strTime');
		if (toMs - fromMs > VOICE_MAX_WINDOW_DAYS * DAY_MS) {
			return this.envelope('voiceRecords', '-22', 'Parameter exception: the interval may not exceed 31 days');
		}
		if (fromMs < voiceHorizonMs(Date.now() + this.clockSkewSeconds * 1000)) {
			return this.envelope('voiceRecords', '-25', 'Out of time range');
		}
		const page = this.slicePage(this.queryWindow('voiceRecords', fromMs, toMs), paging, fault);
		return this.envelope('voiceRecords', '0', 'success', { ...page, searchCount: true, records: this.wireRecords(page.records) });
	}

	/**
	 * The records of a window given as wall-clock text. Where the account's clocks change near it,
	 * they are those whose `timeField` text lies between the two bounds (both halves of a repeated
	 * autumn hour; none when the start is after the end), as a server comparing wall times finds
	 * them; elsewhere text and instants agree.
	 */
	private wallClockWindow(
		endpoint: EndpointName,
		timeField: string,
		[fromMs, toMs]: [number, number],
		[startText, endText]: [string, string],
		filter?: (wire: Record<string, any>) => boolean,
	): RecordRun {
		const margin = 3 * 3_600_000;
		if (new ZoneClock(this.timeZone).offsetChanges(Math.min(fromMs, toMs) - margin, Math.max(fromMs, toMs) + margin).length === 0) {
			return this.queryWindow(endpoint, fromMs, toMs, filter);
		}
		const byWallTime = (wire: Record<string, any>) => String(wire[timeField]) >= startText && String(wire[timeField]) <= endText && (!filter || filter(wire));
		return this.queryWindow(endpoint, Math.min(fromMs, toMs) - margin, Math.max(fromMs, toMs) + margin, byWallTime);
	}

	private callCenterAnswer(body: Record<string, any> | undefined, fault: Fault | undefined) {
		const paging = this.pageParams(body);
		if (typeof paging === 'string') return this.envelope('callCenterRecords', -22, `Parameter exception: ${paging}`);
		const params = body?.params ?? {};
		const from = this.readWindowBound(params.startTime);
		const to = this.readWindowBound(params.endTime);
		if (from === undefined || to === undefined || to.key < from.key) {
			return this.envelope('callCenterRecords', -22, 'Parameter exception: params.startTime/endTime');
		}
		if (to.key - from.key > CALL_CENTER_MAX_WINDOW_DAYS * DAY_MS) {
			return this.envelope('callCenterRecords', -76, 'The search time interval cannot be greater than 93 days!');
		}
		const filter = callCenterFilter(params);
		if (typeof filter === 'string') return this.envelope('callCenterRecords', -22, `Parameter exception: ${filter}`);
		const window = from.plain
			? this.wallClockWindow('callCenterRecords', 'callStartTime', [from.ms, to.ms], [params.startTime, params.endTime], filter)
			: this.queryWindow('callCenterRecords', from.ms, to.ms, filter);
		const page = this.slicePage(window, paging, fault);
		return this.envelope('callCenterRecords', 0, 'success', {
			...page,
			searchCount: true,
			records: this.wireRecords(page.records),
		});
	}

	/** Records as the endpoint writes them, each serialised once for all the pages that carry it. */
	private wireRecords(records: StoredRecord[], form: 'wire' | 'withExtra' = 'wire'): WireRecords {
		const cache = this.wireTexts[form];
		return new WireRecords(
			records.map((record) => {
				let text = cache.get(record);
				if (text === undefined) {
					text = JSON.stringify(form === 'withExtra' ? { ...record.wire, ...record.extra } : record.wire);
					if (text.includes(STORAGE_PLACEHOLDER)) text = text.split(STORAGE_PLACEHOLDER).join(this.recordings.storageUrl);
					cache.set(record, text);
				}
				return text;
			}),
		);
	}

	private slicePage(matching: RecordRun, paging: { current: number; size: number }, fault: Fault | undefined) {
		const { current, size } = paging;
		const total = matching.length;
		const pages = Math.ceil(total / size);
		let from = (current - 1) * size;
		if (fault?.kind === 'repeatPage' && current > 1) from -= size;
		const records = fault?.kind === 'emptyPage' ? [] : matching.slice(from, from + size);
		if (fault?.kind === 'wrongTotal') return { total: total + size, size, current, pages: Math.ceil((total + size) / size), records };
		return { total, size, current, pages, records };
	}

	private send(res: ServerResponse, entry: LoggedRequest, statusCode: number, body: unknown, headers?: Record<string, string>): void {
		const status = (body as { status?: unknown; code?: unknown })?.status ?? (body as { code?: unknown })?.code;
		entry.answer = statusCode === 200 && status !== undefined ? `status ${String(status)}` : `HTTP ${statusCode}`;
		const rows = (body as { data?: { records?: unknown } })?.data?.records ?? (body as { cdrs?: unknown })?.cdrs;
		if (rows instanceof WireRecords) entry.rows = rows.texts.length;
		const text = answerText(body);
		this.deliver(entry, () => {
			res.writeHead(statusCode, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
			res.end(text);
		});
	}

	/** Writes an answer once it is due (entry.dueAt); control answers carry no latency. */
	private deliver(entry: LoggedRequest, write: () => void): void {
		const wait = (entry.dueAt ?? 0) - Date.now();
		if (wait > 0) setTimeout(write, wait);
		else write();
	}
}

/** A page's records as JSON texts, spliced into the answer by answerText. */
class WireRecords {
	constructor(readonly texts: string[]) {}
}

const SPLICE = '\u0000records\u0000';

/** An answer's JSON, its WireRecords written as the array of their texts. */
function answerText(body: unknown): string {
	let records: WireRecords | undefined;
	const text = JSON.stringify(body, (_key, value: unknown) => {
		if (!(value instanceof WireRecords)) return value;
		records = value;
		return SPLICE;
	});
	return records ? text.replace(JSON.stringify(SPLICE), () => `[${records!.texts.join(',')}]`) : text;
}

/** Records in the API's order: how many, and a run of them (`from` inclusive, `to` exclusive). */
interface RecordRun {
	length: number;
	slice(from: number, to: number): StoredRecord[];
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return await new Sandbox(options).start();
}
