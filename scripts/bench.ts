/**
 * `npm run bench`: measures the nodes in n8n's engine against the API sandbox (running in its
 * own process, so its work is not counted) with injected latency, and prints one table.
 * Not part of the test suite. Figures and targets: see docs/performance.md.
 */
import '../test/setup/env';

import { createWriteStream, mkdtempSync, rmSync } from 'fs';
import { spawn } from 'child_process';
import http from 'http';
import { tmpdir } from 'os';
import { join } from 'path';

import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';

import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';

import { ACCOUNT_TIME_ZONE, SANDBOX_RECORDING_HOSTS, platformCredentials } from '../test/engine/fixtures';
import { runNode } from '../test/engine/harness';
import { PollHarness } from '../test/engine/poll';
import { sandboxControl } from '../test/sandbox/control';
import { recordingBytes, sha256 } from '../test/sandbox/recordings';
import { NXCLOUD_DEMO_APP } from '../test/sandbox/endpoints/flashCalls';
import type { Sandbox } from '../test/sandbox/server';
import { startSandboxProcess } from '../test/e2e/sandboxProcess';
import { CURRENT_N8N } from '../test/e2e/n8nInstall';
import { heapPeak, peakRssMib } from './heapPeak';
import { callCenterRecordShape } from '../nodes/CallCenterRecords/listing';
import { numberRecordShape } from '../nodes/NumberRecords/listing';
import { RecordProblem } from '../nodes/shared/recordShape';
import { earliestVoiceStartMs } from '../nodes/VoiceRecords/listing';
import { envelopeSchema, pageDataSchema } from '../nodes/transport/platformApi';
import { signatureHeaders } from '../nodes/transport/signature';
import { ZoneClock } from '../nodes/transport/time';
import { DEMO_ACCOUNT } from '../test/sandbox/server';
// Not part of n8n-core's public surface; the bench only, to time n8n's HTTP helper without a node.
import { httpRequest as n8nHttpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

const LATENCY_MS = 50;
const DAY = 86_400_000;
const NUMBER_FROM = Date.parse('2024-01-01T00:00:00Z');
const rows: string[][] = [];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function row(...cells: Array<string | number>) {
	rows.push(cells.map(String));
	process.stderr.write(`${cells.join(' | ')}\n`);
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const listSeconds = (times: number[]) => `${times.map((t) => (t / 1000).toFixed(2)).join(' / ')} s`;

const control = sandboxControl;

/** `npm run bench -- cpu memory` runs only the named scenarios; no names runs them all. */
const SCENARIOS = ['parallel', 'throttle', 'flash', 'windows', 'growth', 'cpu', 'memory', 'recordings', 'summarize', 'trigger'] as const;
const chosen = process.argv.slice(2);
for (const name of chosen) {
	if (!SCENARIOS.includes(name as never)) throw new Error(`Unknown scenario "${name}"; choose from ${SCENARIOS.join(', ')}`);
}
const wanted = (name: (typeof SCENARIOS)[number]) => chosen.length === 0 || chosen.includes(name);

async function timed(type: string, parameters: IDataObject, credentials: Record<string, IDataObject>) {
	const started = performance.now();
	const result = await runNode({ type, parameters: { operation: 'getMany', ...parameters } as never, credentials: credentials as never, timezone: 'UTC' });
	const ms = performance.now() - started;
	if (result.error) throw new Error(`${type}: ${result.error.message} ${result.error.description ?? ''}`);
	return { ms, items: result.items.map((i) => i.json) };
}

/**
 * Runs `read` `count` times, each from a reset sandbox and a collected heap at `latencyMs` (the
 * benchmark's latency unless told): parallel reads vary by several percent from run to run on a
 * shared 2-core machine, so the median is reported, with every time (sorted) and what `check`
 * (not timed) makes of each run's value.
 */
async function repeated<T, R>(url: string, count: number, read: () => Promise<T>, check: (value: T) => R, latencyMs = LATENCY_MS) {
	const runs: Array<{ ms: number; result: R }> = [];
	for (let run = 0; run < count; run++) {
		await control(url, 'reset');
		await control(url, 'latency', { ms: latencyMs });
		gc(); // each run starts from a collected heap, not with the garbage of the one before
		const started = performance.now();
		const value = await read();
		const ms = performance.now() - started;
		runs.push({ ms, result: check(value) });
	}
	const times = runs.map((r) => r.ms).sort((a, b) => a - b);
	return { median: times[Math.floor(times.length / 2)], times, results: runs.map((r) => r.result) };
}

async function expectedIds(url: string, endpoint: string, from: number, to: number): Promise<string[]> {
	return (await control(url, `records?endpoint=${endpoint}&from=${from}&to=${to}`)).ids;
}

function sameIds(items: IDataObject[], field: string, want: string[]): string {
	const got = items.map((i) => String(i[field]));
	return got.length === want.length && got.every((id, i) => id === want[i]) ? 'exact' : `MISMATCH (${got.length} vs ${want.length})`;
}

/** Fresh signature headers for the sandbox's demo account, for the requests the bench sends itself. */
const demoSignature = () => signatureHeaders(DEMO_ACCOUNT.apiKey, DEMO_ACCOUNT.apiSecret, Date.now());

/** "exact" when every run returned the exact set, otherwise each run's finding. */
const allExact = (results: string[]) => (results.every((r) => r === 'exact') ? 'exact' : results.join('; '));

type PageBody = { total: number; records: unknown[] };

/** One page of number records with Node's http client alone: a new connection, the body parsed. */
function plainPage(url: string, body: object): Promise<PageBody> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			`${url}/number/record/queryPage`,
			{
				method: 'POST',
				agent: new http.Agent(),
				headers: { 'Content-Type': 'application/json', ...demoSignature() },
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()).data));
			},
		);
		request.on('error', reject);
		request.end(JSON.stringify(body));
	});
}

/** The same page through n8n's own HTTP helper (what the node's requests go through), with the node's options. */
async function helperPage(url: string, body: object): Promise<PageBody> {
	const response = (await n8nHttpRequest({
		method: 'POST',
		url: `${url}/number/record/queryPage`,
		body,
		headers: { 'Content-Type': 'application/json;charset=UTF-8', ...demoSignature() },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		encoding: 'text',
		json: false,
		disableFollowRedirect: true,
		timeout: 60_000,
	})) as IN8nHttpFullResponse;
	return JSON.parse(response.body as string).data;
}

/** Pages through number records with `page`, `parallel` at a time, keeping every record (as the node's output does); returns the count. */
async function pagesRead(window: { from: number; to: number }, parallel: number, page: (body: object) => Promise<PageBody>): Promise<number> {
	const params = { strTime: new Date(window.from).toISOString(), endTime: new Date(window.to).toISOString() };
	const read = (current: number) => page({ current, size: 100, params });
	const first = await read(1);
	const last = Math.ceil(first.total / 100);
	const kept = [...first.records];
	let next = 2;
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next <= last) kept.push(...(await read(next++)).records);
		}),
	);
	return kept.length;
}

/**
 * Download Recordings: about 1,000 recordings of 500 KB (number records of one day, each file on
 * the sandbox's storage host) at 4 and 16 parallel, into n8n's filesystem binary mode as a user's
 * n8n keeps them. The limit counts pages and files alike: requests x latency / parallel.
 */
/** Downloads `urls`, `parallel` at a time, each piped to a file under `dir`; returns the bytes written. */
async function plainDownloads(urls: string[], parallel: number, dir: string): Promise<number> {
	let next = 0;
	let bytes = 0;
	const one = async (url: string, n: number) =>
		await new Promise<void>((resolve, reject) => {
			http.get(url, { agent: new http.Agent() }, (response) => {
				const file = createWriteStream(join(dir, `plain-${n}.wav`));
				response.on('data', (chunk: Buffer) => (bytes += chunk.length));
				response.pipe(file).on('finish', resolve).on('error', reject);
			}).on('error', reject);
		});
	await Promise.all(Array.from({ length: parallel }, async () => {
		while (next < urls.length) {
			const n = next++;
			await one(urls[n], n);
		}
	}));
	for (let n = 0; n < urls.length; n++) rmSync(join(dir, `plain-${n}.wav`), { force: true });
	return bytes;
}

type Phase = { ms: number; cpuMs: number; peakBytes: number; rssMib: number };

/**
 * Get Many + n8n's Summarize node in a child process (scripts/bench-get-many-summarize.ts), stopped
 * after `capMs`: what each phase that ended reported, and the wall time of the two phases (the
 * child's start and its loading of n8n are not theirs), to the stop when stopped.
 */
async function getManyThenN8nSummarize(window: { url: string; startTime: string; endTime: string; parallel: number }, capMs: number) {
	let getManyEnded = 0;
	const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=16384', '--import', 'tsx', join(__dirname, 'bench-get-many-summarize.ts'), JSON.stringify(window)], { stdio: ['ignore', 'pipe', 'inherit'] });
	const phases: { getMany?: Phase; summarize?: Phase & { counts: Record<string, number> } } = {};
	let buffered = '';
	child.stdout.on('data', (chunk: Buffer) => {
		buffered += chunk.toString();
		for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
			const line = buffered.slice(0, end);
			buffered = buffered.slice(end + 1);
			if (line.startsWith('{"phase"')) {
				const phase = JSON.parse(line) as { phase: 'getMany' | 'summarize' } & Phase & { counts: Record<string, number> };
				phases[phase.phase] = phase;
				if (phase.phase === 'getMany') getManyEnded = performance.now();
			}
		}
	});
	let rssAtStop: number | undefined;
	const stop = setTimeout(() => {
		rssAtStop = peakRssMib(child.pid);
		child.kill('SIGKILL');
	}, capMs);
	const code = await new Promise<number | null>((done) => child.on('exit', done));
	clearTimeout(stop);
	if (!phases.getMany) throw new Error(`Get Many + n8n's Summarize: the child ended (${code}) before Get Many did`);
	if (!phases.summarize && code !== null) throw new Error(`Get Many + n8n's Summarize: the child failed (exit ${code})`);
	const ms = phases.getMany.ms + (phases.summarize ? phases.summarize.ms : performance.now() - getManyEnded);
	return { ms, getMany: phases.getMany, summarize: phases.summarize, rssMib: phases.summarize?.rssMib ?? rssAtStop ?? NaN };
}

/**
 * Summarize against Get Many + n8n's Summarize node: 100,000 and 1,000,000 number records at
 * Max Parallel Requests 16 and no latency (the read's own cost), grouped by SIP code; one run
 * per row, its heap sampled.
 */
async function summarizeScenario() {
	const DAYS = 30;
	const big = await startSandboxProcess({
		seed: 3,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 1_000_000, from: new Date(NUMBER_FROM).toISOString(), to: new Date(NUMBER_FROM + DAYS * DAY).toISOString() },
	});
	const credentials = platformCredentials({ url: big.url } as Sandbox);
	const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
	const say = (message: string) => process.stderr.write(`[summarize] ${message}\n`);
	try {
		await control(big.url, 'latency', { ms: 0 });
		// One unmeasured pass over an hour first: the code both paths load on their first run (the
		// nodes, n8n's helpers, the schemas) is not theirs to count as heap over the start.
		const hour = { startTime: new Date(NUMBER_FROM).toISOString(), endTime: new Date(NUMBER_FROM + 3_600_000 - 1).toISOString() };
		for (const parameters of [{ operation: 'summarize', groupBy: ['sipCode'] }, { operation: 'getMany', returnAll: true }]) {
			const warm = await runNode({ type: 'numberRecords', parameters: { ...parameters, ...hour } as never, credentials: credentials as never, timezone: 'UTC' });
			if (warm.error) throw new Error(`warm-up ${parameters.operation}: ${warm.error.message}`);
		}
		// SUMMARIZE_DAYS=30 runs only the million (30 days); 3 days hold 100,000.
		for (const days of process.env.SUMMARIZE_DAYS ? [Number(process.env.SUMMARIZE_DAYS)] : [3, DAYS]) {
			const window = { startTime: new Date(NUMBER_FROM).toISOString(), endTime: new Date(NUMBER_FROM + days * DAY - 1).toISOString() };
			const count = (await expectedIds(big.url, 'numberRecords', NUMBER_FROM, NUMBER_FROM + days * DAY - 1)).length;
			const base = { ...window, options: { maxParallelRequests: 16 } };
			const summarize = async () => {
				const result = await runNode({ type: 'numberRecords', parameters: { operation: 'summarize', ...base, groupBy: ['sipCode'] } as never, credentials: credentials as never, timezone: 'UTC' });
				if (result.error) throw new Error(`summarize: ${result.error.message}`);
				return result.items.map((item) => item.json);
			};
			say(`${count} records: Summarize`);
			const ours = await heapPeak(summarize);
			const totals = ours.value[ours.value.length - 1];
			const groups = ours.value.filter((g) => g.row === 'group');
			const label = `${count.toLocaleString('en-US')} number records, 16 parallel, 0 ms`;
			const perRecord = (run: { ms: number; cpuMs: number }) =>
				`${((run.ms * 1000) / count).toFixed(1)} µs per record (${((run.cpuMs * 1000) / count).toFixed(1)} µs of this process's CPU, the sampling's collections included)`;
			row(
				`Summarize by SIP code, ${label}`,
				count,
				seconds(ours.ms),
				'',
				'',
				`${perRecord(ours)}; live heap peak ${mib(ours.peakBytes)} over the start (target < 32 MiB); ${totals.calls === count ? 'calls: the sandbox\'s count' : 'MISMATCH'}`,
			);
			// SUMMARIZE_ONLY=1 leaves out the Get Many rows (on a busy machine they take long);
			// SUMMARIZE_CAP_MINUTES (20) stops one that has not ended by then.
			if (process.env.SUMMARIZE_ONLY) continue;
			const capMinutes = Number(process.env.SUMMARIZE_CAP_MINUTES ?? 20);
			say(`${count} records: Get Many + n8n's Summarize (stopped after ${capMinutes} min)`);
			const theirs = await getManyThenN8nSummarize({ url: big.url, ...window, parallel: 16 }, capMinutes * 60_000);
			const oursHeap = ours.peakBytes >= 0.1 * 2 ** 20 ? mib(ours.peakBytes) : 'under 0.1 MiB';
			if (!theirs.summarize) {
				row(
					`Get Many + n8n's Summarize node (${CURRENT_N8N.version}) by SIP code, ${label}`,
					count,
					`over ${seconds(theirs.ms)}`,
					'',
					'',
					`Get Many ${seconds(theirs.getMany.ms)}, live heap ${mib(theirs.getMany.peakBytes)} holding the items (Summarize: ${oursHeap}); n8n's Summarize node had not finished when stopped after ${capMinutes} min; the process's peak RSS ${theirs.rssMib.toFixed(0)} MiB (${theirs.getMany.rssMib.toFixed(0)} MiB after Get Many); Summarize over ${(theirs.ms / ours.ms).toFixed(1)}x faster`,
				);
				continue;
			}
			const theirCounts = new Map(Object.entries(theirs.summarize.counts));
			const same = theirCounts.size === groups.length && groups.every((g) => theirCounts.get(String(g.sipCode)) === g.calls);
			row(
				`Get Many + n8n's Summarize node (${CURRENT_N8N.version}) by SIP code, ${label}`,
				count,
				seconds(theirs.ms),
				'',
				'',
				`${perRecord({ ms: theirs.ms, cpuMs: theirs.getMany.cpuMs + theirs.summarize.cpuMs })}: Get Many ${seconds(theirs.getMany.ms)}, n8n's Summarize ${seconds(theirs.summarize.ms)}; live heap peak ${mib(theirs.summarize.peakBytes)} (Summarize: ${oursHeap}), the process's peak RSS ${theirs.rssMib.toFixed(0)} MiB (${theirs.getMany.rssMib.toFixed(0)} MiB after Get Many); ${same ? 'calls per SIP code as Summarize gives them' : 'MISMATCH with Summarize'}; Summarize ${(theirs.ms / ours.ms).toFixed(1)}x faster`,
			);
		}
	} finally {
		big.stop();
	}
}

async function recordingsScenario() {
	const size = 512_000;
	const day = { from: '2024-03-01T00:00:00Z', to: '2024-03-02T00:00:00Z' };
	const files = await startSandboxProcess({ seed: 2, timeZone: ACCOUNT_TIME_ZONE, numberRecords: { count: 4_450, ...day }, recordingBytes: size });
	const storage = mkdtempSync(join(tmpdir(), 'bench-binary-'));
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = storage;
	await Container.get(BinaryDataService).init();
	try {
		const credentials = platformCredentials({ url: files.url } as Sandbox, SANDBOX_RECORDING_HOSTS);
		for (const parallel of [4, 16]) {
			const { median, times, results } = await repeated(
				files.url,
				3,
				async () =>
					await runNode({
						type: 'numberRecords',
						parameters: { operation: 'getMany', startTime: day.from, endTime: day.to, returnAll: true, options: { downloadRecordings: true, maxParallelRequests: parallel } },
						credentials: credentials as never,
						timezone: 'UTC',
					}),
				(result) => {
					if (result.error) throw new Error(`recordings: ${result.error.message}`);
					const recorded = result.items.filter((item) => item.json.recordingFileUrl !== '');
					const whole = recorded.filter((item) => item.binary?.recording?.bytes === size).length;
					return { records: result.items.length, recorded: recorded.length, whole, items: recorded };
				},
			);
			const { records, recorded, whole, items } = results[0];
			// Every byte of the last run's files against what the sandbox served (not timed).
			let identical = 0;
			for (const item of items) {
				const path = new URL(String(item.json.recordingFileUrl)).pathname.slice(1);
				if (sha256(await Container.get(BinaryDataService).getAsBuffer(item.binary!.recording)) === sha256(recordingBytes(path, size))) identical++;
			}
			const requests = Math.ceil(records / 100) + recorded;
			const limit = (requests * LATENCY_MS) / parallel;
			const mbps = (recorded * size) / 1_048_576 / (median / 1000);
			const exact = results.every((r) => r.whole === r.recorded) && identical === recorded ? 'every file whole and byte-identical' : `MISMATCH (${whole} whole, ${identical} identical of ${recorded})`;
			row(
				`Download Recordings (${recorded} of 500 KB), Max Parallel Requests ${parallel}`,
				records,
				seconds(median),
				seconds(limit),
				`${(median / limit).toFixed(2)}x`,
				`${exact}, ${mbps.toFixed(0)} MB/s, median of 3 (${listSeconds(times)})`,
			);
			rmSync(join(storage, 'workflows'), { recursive: true, force: true });
			// The floor of this machine: the same files with Node's own http client (a connection per
			// file, as n8n's helper makes), each piped to a file on the same disk; no n8n.
			const urls = items.map((item) => String(item.json.recordingFileUrl));
			const plain = await repeated(files.url, 3, async () => await plainDownloads(urls, parallel, storage), (bytes) => bytes);
			const plainLimit = (urls.length * LATENCY_MS) / parallel;
			row(
				`… the same files with no n8n: Node.js http piped to disk, ${parallel} at a time`,
				urls.length,
				seconds(plain.median),
				seconds(plainLimit),
				`${(plain.median / plainLimit).toFixed(2)}x`,
				`${plain.results[0] === urls.length * size ? 'every byte' : `MISMATCH (${plain.results[0]} bytes)`}, the floor of this machine, median of 3 (${listSeconds(plain.times)})`,
			);
		}
	} finally {
		files.stop();
		rmSync(storage, { recursive: true, force: true });
	}
}

/**
 * The trigger's page requests: a backfill of 20,000 records at 1,000 per poll (linear: about one
 * request per 100 records, not a re-read of the whole backlog on every poll), and one poll of a
 * live 15-minute look-back, quiet and with records filed while it pages.
 */
async function triggerScenario(url: string, platform: ReturnType<typeof platformCredentials>) {
	const count = 20_000;
	await control(url, 'reset');
	await control(url, 'latency', { ms: LATENCY_MS });
	const start = Date.now();
	// Two days' worth ending a day ago: the live polls below read none of them.
	await control(url, 'add', { endpoint: 'numberRecords', count, fromMs: start - 3 * DAY, toMs: start - DAY });
	const backfill = new PollHarness({ source: 'numberRecords', options: { backfillFrom: new Date(start - 3 * DAY).toISOString() } }, platform);
	const emitted = new Set<string>();
	let repeats = 0;
	let polls = 0;
	const started = performance.now();
	for (let emptyPolls = 0; emptyPolls < 1 && polls < 60; polls++) {
		const { items, error } = await backfill.poll();
		if (error) throw new Error(`trigger: ${error.message}`);
		for (const item of items) {
			if (emitted.has(String(item.callid))) repeats++;
			emitted.add(String(item.callid));
		}
		if (items.length === 0) emptyPolls++;
	}
	const ms = performance.now() - started;
	const requests = (await control(url, 'stats')).requests as number;
	const exact = emitted.size === count && repeats === 0 ? 'exact' : `MISMATCH (${emitted.size} of ${count}, ${repeats} repeats)`;
	// Counted, not timed against a limit: the polls run one after the other, as n8n runs them.
	row('Trigger: backfill at 1,000 per poll (default options)', count, seconds(ms), '', '', `${exact}; ${requests} page requests over ${polls} polls (${count / 100} pages hold the records)`);

	// A live poll: 1,000 calls over the last 16 minutes; a trigger whose cursor stands a minute ago.
	// (The number-record store is emptied first: this scenario runs last.)
	for (const filedWhilePaging of [false, true]) {
		await control(url, 'reset');
		await control(url, 'latency', { ms: LATENCY_MS });
		await control(url, 'clear', { endpoint: 'numberRecords' });
		const now = Date.now();
		await control(url, 'add', { endpoint: 'numberRecords', count: 1_000, fromMs: now - 16 * 60_000, toMs: now - 61_000 });
		const live = new PollHarness({ source: 'numberRecords', options: { longCallHours: 0 } }, platform);
		live.staticData = { [`node:${live.node.name}`]: { state: { source: 'numberRecords', cursorMs: now - 60_000, floorMs: now - 30 * 60_000, seen: {} } } };
		if (filedWhilePaging) await control(url, 'insertDuringPaging', { endpoint: 'numberRecords', afterRequests: 2, count: 5, fromMs: now - 2 * 60_000, toMs: now - 61_000 });
		const before = (await control(url, 'stats')).requests as number;
		const { items, error } = await live.poll();
		if (error) throw new Error(`trigger: ${error.message}`);
		const perPoll = ((await control(url, 'stats')).requests as number) - before;
		row(
			`Trigger: one poll of a live 15-minute look-back${filedWhilePaging ? ', 5 records filed while it pages' : ''}`,
			items.length,
			'',
			'',
			'',
			`${perPoll} page requests${filedWhilePaging ? ' (the pages read a second time, as the completeness check wants)' : ''}`,
		);
	}
}

async function main() {
	const now = Date.now();
	const voiceFrom = earliestVoiceStartMs(now) + 3_600_000;
	const sandbox = await startSandboxProcess({
		seed: 1,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 300_000, from: new Date(NUMBER_FROM).toISOString(), to: new Date(NUMBER_FROM + 30 * DAY).toISOString() },
		callCenterRecords: { count: 20_000, from: '2024-01-01T00:00:00Z', to: '2024-07-19T00:00:00Z' },
		voiceRecords: { count: 10_000, from: new Date(voiceFrom).toISOString(), to: new Date(voiceFrom + 60 * DAY).toISOString() },
		flashCalls: { count: 20_000, from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z', granularityMs: 5_000 },
	});
	const { url } = sandbox;
	const platform = platformCredentials({ url } as Sandbox);
	const nxcloud = { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: url, timeZone: ACCOUNT_TIME_ZONE } };
	try {
		// A window of ~100,000 number records: 1,000 pages of 100.
		const window100k = { from: NUMBER_FROM, to: NUMBER_FROM + 10 * DAY - 1 };
		const want100k = await expectedIds(url, 'numberRecords', window100k.from, window100k.to);
		const pages = Math.ceil(want100k.length / 100);
		const numberParams = (extra: IDataObject = {}, window = window100k) => ({
			startTime: new Date(window.from).toISOString(),
			endTime: new Date(window.to).toISOString(),
			returnAll: true,
			...extra,
		});

		// One Number Records Return All (by default over the 100k window), timed by `repeated`;
		// checked outside the timing against the ids the sandbox holds.
		const readNumbers = (options: IDataObject, window = window100k) => async () =>
			await runNode({ type: 'numberRecords', parameters: { operation: 'getMany', ...numberParams({ options }, window) } as never, credentials: platform as never, timezone: 'UTC' });
		const exactNumbersIn = (want: string[]) => (result: Awaited<ReturnType<typeof runNode>>) => {
			if (result.error) throw new Error(`numberRecords: ${result.error.message} ${result.error.description ?? ''}`);
			return sameIds(result.items.map((i) => i.json), 'callid', want);
		};
		const exactNumbers = exactNumbersIn(want100k);

		row('scenario', 'records', 'wall time', 'limit (pages x latency / parallel)', 'ratio to limit', 'result');
		let baseline = 0;
		for (const parallel of wanted('parallel') ? [1, 4, 16] : []) {
			// The median of three (the minute-long baseline varies little and runs once).
			const { median: ms, times, results } = await repeated(url, parallel === 1 ? 1 : 3, readNumbers({ maxParallelRequests: parallel }), exactNumbers);
			const limit = (pages * LATENCY_MS) / parallel;
			if (parallel === 1) baseline = ms;
			const label = parallel === 1 ? 'Number Records, sequential baseline (1 page at a time)' : `Number Records, Max Parallel Requests ${parallel}`;
			const spread = times.length > 1 ? `, median of ${times.length} (${listSeconds(times)})` : '';
			const speedup = parallel === 1 ? '' : `, ${(baseline / ms).toFixed(1)}x the baseline`;
			const exact = allExact(results);
			row(label, want100k.length, seconds(ms), seconds(limit), `${(ms / limit).toFixed(2)}x`, `${exact}${speedup}${spread}`);
		}

		// Where the time at 16 goes: the node with Raw Output (no record conversion); the same pages
		// through n8n's HTTP helper alone (no node, no engine); and with no n8n at all: Node's own
		// HTTP client, a new connection per request (as n8n's helper makes). Each keeps the records.
		if (wanted('parallel')) {
			const limit = (pages * LATENCY_MS) / 16;
			const raw = await repeated(url, 3, readNumbers({ maxParallelRequests: 16, rawOutput: true }), exactNumbers);
			row('Same at 16 with Raw Output (no record conversion)', want100k.length, seconds(raw.median), seconds(limit), `${(raw.median / limit).toFixed(2)}x`, `${allExact(raw.results)}, median of 3 (${listSeconds(raw.times)})`);
			for (const [label, page] of [
				['Same pages at 16 through n8n\'s HTTP helper alone: signed, JSON parsed, records kept', helperPage],
				['Same pages at 16 with no n8n: plain Node.js http, JSON parsed, records kept', plainPage],
			] as const) {
				const { median, times, results } = await repeated(url, 3, async () => await pagesRead(window100k, 16, (body) => page(url, body)), (count) => count);
				row(label, results[0], seconds(median), seconds(limit), `${(median / limit).toFixed(2)}x`, `median of 3 (${listSeconds(times)})`);
			}
		}

		for (const kind of wanted('throttle') ? (['429', '-18'] as const) : []) {
			await control(url, 'reset');
			await control(url, 'latency', { ms: LATENCY_MS });
			await control(url, 'throttle', { maxInFlight: 3, kind });
			const { ms, items } = await timed('numberRecords', numberParams({ options: { maxParallelRequests: 16 } }), platform);
			const stats = await control(url, 'stats');
			const refused = Object.entries(stats.answers as Record<string, number>)
				.filter(([answer]) => answer !== 'status 0')
				.reduce((n, [, count]) => n + count, 0);
			const limit = (pages * LATENCY_MS) / 3;
			row(
				`Number Records at 16, server throttles (${kind === '429' ? 'HTTP 429' : 'status -18'}) above 3 in flight`,
				items.length,
				seconds(ms),
				seconds(limit),
				`${(ms / limit).toFixed(2)}x`,
				`${sameIds(items, 'callid', want100k)}, ${refused} refused of ${stats.requests} requests`,
			);
		}
		await control(url, 'throttle', {});

		// Flash calls: one cursor against sharded cursors in parallel.
		if (wanted('flash')) {
			const flashWindow = { startTime: '2024-05-01T00:00:00Z', endTime: '2024-05-02T00:00:00Z' };
			const wantFlash = (await expectedIds(url, 'flashCalls', Date.parse(flashWindow.startTime), Date.parse(flashWindow.endTime))).reverse();
			await control(url, 'reset');
			await control(url, 'latency', { ms: LATENCY_MS });
			const sequential = await timed('flashCallCdrs', { ...flashWindow, returnAll: false, limit: 10_000_000, options: { maxParallelRequests: 1 } }, nxcloud);
			const sequentialCalls = (await control(url, 'stats')).requests;
			row('Flash Call CDRs, one sequential cursor', sequential.items.length, seconds(sequential.ms), seconds(sequentialCalls * LATENCY_MS), `${(sequential.ms / (sequentialCalls * LATENCY_MS)).toFixed(2)}x`, sameIds(sequential.items, 'id', wantFlash));
			for (const parallel of [4, 16]) {
				await control(url, 'reset');
				await control(url, 'latency', { ms: LATENCY_MS });
				const sharded = await timed('flashCallCdrs', { ...flashWindow, returnAll: true, options: { maxParallelRequests: parallel } }, nxcloud);
				const calls = (await control(url, 'stats')).requests;
				const identical = JSON.stringify(sharded.items) === JSON.stringify(sequential.items) ? 'identical to sequential' : 'DIFFERENT';
				row(
					`Flash Call CDRs, sharded, Max Parallel Requests ${parallel}`,
					sharded.items.length,
					seconds(sharded.ms),
					seconds((calls * LATENCY_MS) / parallel),
					`${(sharded.ms / ((calls * LATENCY_MS) / parallel)).toFixed(2)}x`,
					`${identical}, ${(sequential.ms / sharded.ms).toFixed(1)}x faster (${calls} calls)`,
				);
			}
		}

		// Split windows: do their reads overlap in time?
		if (wanted('windows')) {
			for (const [type, endpoint, params, field, startKey] of [
				['callCenterRecords', 'callCenterRecords', { startTime: '2024-01-01T00:00:00Z', endTime: '2024-07-19T00:00:00Z' }, 'keyId', 'startTime'],
				['voiceRecords', 'voiceRecords', { startTime: new Date(voiceFrom).toISOString(), endTime: new Date(voiceFrom + 60 * DAY).toISOString() }, 'voiceId', 'strTime'],
			] as const) {
				await control(url, 'reset');
				await control(url, 'latency', { ms: LATENCY_MS });
				const { ms, items } = await timed(type, { ...params, returnAll: true }, platform);
				const log = (await control(url, 'requests')) as Array<{ at: number; body: { current: number; params: Record<string, string> } }>;
				const spans = new Map<string, [number, number]>();
				for (const r of log) {
					const key = r.body.params[startKey];
					const span = spans.get(key) ?? [Infinity, -Infinity];
					spans.set(key, [Math.min(span[0], r.at), Math.max(span[1], r.at)]);
				}
				const list = [...spans.values()];
				const overlapping = list.every(([start]) => list.every(([s, e]) => start <= e && s <= list[0][1]));
				const want = await expectedIds(url, endpoint, Date.parse(params.startTime), Date.parse(params.endTime));
				row(
					`${type === 'voiceRecords' ? 'Voice Records, 60 days' : 'Call Center Records, 200 days'} (${spans.size} windows)`,
					items.length,
					seconds(ms),
					seconds((log.length * LATENCY_MS) / 4),
					`${(ms / ((log.length * LATENCY_MS) / 4)).toFixed(2)}x`,
					`${items.length === want.length && new Set(items.map((i) => String(i[field]))).size === want.length ? 'exact' : 'MISMATCH'}, windows read ${overlapping ? 'in parallel' : 'one after another'}`,
				);
			}
		}

		// Growth at zero latency: 10k, 100k, 300k records, each the median of three (one run can
		// meet a pause of the machine, and at 10k that alone would skew the ratios).
		if (wanted('growth')) {
			// One untimed read first, so the 10k figure measures the read rather than compilation.
			await control(url, 'latency', { ms: 0 });
			await readNumbers({ maxParallelRequests: 4 }, { from: NUMBER_FROM, to: NUMBER_FROM + DAY - 1 })();
			const perRecord: number[] = [];
			for (const days of [1, 10, 30]) {
				const to = NUMBER_FROM + days * DAY - 1;
				const want = await expectedIds(url, 'numberRecords', NUMBER_FROM, to);
				const { median: ms, times, results } = await repeated(
					url,
					3,
					readNumbers({ maxParallelRequests: 4 }, { from: NUMBER_FROM, to }),
					exactNumbersIn(want),
					0,
				);
				perRecord.push(ms / want.length);
				row(`Number Records, zero latency, ${days} day(s)`, want.length, seconds(ms), '', '', `${allExact(results)}, ${((ms / want.length) * 1000).toFixed(1)} µs per record end to end, ${(perRecord[perRecord.length - 1] / perRecord[0]).toFixed(2)}x the 10k cost per record, median of 3 (${listSeconds(times)})`);
			}
		}

		// The node's own CPU per record: JSON, envelope and record validation, normalisation.
		if (wanted('cpu')) {
			const bodies: string[] = [];
			for (let page = 1; page <= 100; page++) {
				const response = await fetch(`${url}/number/record/queryPage`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', ...demoSignature() },
					body: JSON.stringify({ current: page, size: 100, params: { strTime: '2024-01-01T00:00:00Z', endTime: '2024-01-31T00:00:00Z' } }),
				});
				bodies.push(await response.text());
			}
			const ccBody = await (
				await fetch(`${url}/v3/cc/record/query`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', ...demoSignature() },
					body: JSON.stringify({ current: 1, size: 100, params: { startTime: '2024-02-01 00:00:00', endTime: '2024-04-01 00:00:00' } }),
				})
			).text();
			const clocks = { account: new ZoneClock(ACCOUNT_TIME_ZONE), output: new ZoneClock('Europe/Berlin') };
			for (const [label, list, schema] of [
				['number records', bodies, numberRecordShape(clocks)],
				['call center records', Array.from({ length: 100 }, () => ccBody), callCenterRecordShape(clocks)],
			] as const) {
				const run = () => {
					let count = 0;
					for (const body of list) {
						const envelope = envelopeSchema.parse(JSON.parse(body));
						const data = pageDataSchema.parse(envelope.data);
						for (const record of data.records) {
							const converted = schema(record);
							if (converted instanceof RecordProblem) throw new Error(`${label}: "${converted.field}" ${converted.reason}`);
							count++;
						}
					}
					return count;
				};
				// Warmed up as a long run would be; the median of 9 timed rounds, each 10,000 records
				// and the garbage collection they cause, so one slow round (another process) does not
				// decide the figure.
				gc(); // what earlier scenarios left behind is not this one's to collect
				for (let i = 0; i < 3; i++) run();
				const rounds: number[] = [];
				let count = 0;
				for (let round = 0; round < 9; round++) {
					const started = performance.now();
					const records = run();
					rounds.push(((performance.now() - started) * 1000) / records);
					count += records;
				}
				const us = rounds.sort((a, b) => a - b)[4];
				row(`CPU per record: parse, validate, normalise (${label})`, count, '', '', '', `${us.toFixed(2)} µs per record, median of 9 rounds (range ${rounds[0].toFixed(2)} to ${rounds[8].toFixed(2)}; target < 10)`);
			}
		}

		// Peak live memory for 100,000 records (collected before each sample, so garbage not yet
		// swept is not counted) against the size of the output items themselves.
		if (wanted('memory')) {
			await control(url, 'reset');
			await control(url, 'latency', { ms: 0 });
			gc();
			const base = process.memoryUsage().heapUsed;
			let peak = base;
			const sampler = setInterval(() => {
				gc();
				peak = Math.max(peak, process.memoryUsage().heapUsed);
			}, 250);
			const held = await timed('numberRecords', numberParams({ options: { maxParallelRequests: 4 } }), platform);
			clearInterval(sampler);
			gc();
			peak = Math.max(peak, process.memoryUsage().heapUsed);
			// The items' own size: what a fresh deep copy of their JSON takes on the heap, and the
			// length of their JSON text.
			const before = process.memoryUsage().heapUsed;
			const copy = structuredClone(held.items);
			gc();
			const itemsBytes = process.memoryUsage().heapUsed - before;
			const textBytes = JSON.stringify(copy).length;
			const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
			row(
				'Peak memory, 100,000 records',
				held.items.length,
				'',
				'',
				'',
				`live heap peak ${mib(peak - base)} over the start (sampled every 250 ms after a full collection); the items alone ${mib(itemsBytes)} on the heap, ${mib(textBytes)} as JSON text; ratio ${((peak - base) / itemsBytes).toFixed(2)}x the items (target <= 2)`,
			);
		}
		if (wanted('recordings')) await recordingsScenario();
		if (wanted('summarize')) await summarizeScenario();
		if (wanted('trigger')) await triggerScenario(url, platform);
	} finally {
		sandbox.stop();
	}

	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
	const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	process.stdout.write(`\n${line(rows[0])}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.slice(1).map(line).join('\n')}\n`);
	process.stdout.write(`\nMachine: ${require('os').cpus().length} cores (${require('os').cpus()[0].model}), Node ${process.version}, latency ${LATENCY_MS} ms per request.\n`);
	process.exit(0);
}

main().catch((error) => {
	process.stderr.write(`Benchmark failed: ${error.stack ?? error}\n`);
	process.exit(1);
});
