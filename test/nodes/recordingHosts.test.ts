/**
 * Download Recordings through the real n8n engine: which hosts a record's recording URL may
 * reach, URLs that are no URLs, and the per-file deadline. A listener on 127.0.0.1 stands for an
 * internal service: the refused downloads must never connect to it.
 */
import { createServer } from 'net';
import type { AddressInfo, Server } from 'net';

import { SANDBOX_RECORDING_HOSTS, ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';

const NUMBER_WINDOW = { startTime: '2024-03-01T00:00:00Z', endTime: '2024-03-02T00:00:00Z' };
const CC_WINDOW = { startTime: '2024-03-01T00:00:00Z', endTime: '2024-03-03T00:00:00Z' };
type Window = { startTime: string; endTime: string };

/**
 * Each test files its own records at an instant of its own, after the sandbox's data, and reads
 * only a window around it: what one test files never reaches another's downloads.
 */
let slot = 0;
function freshWindow(): { at: number; window: Window } {
	const at = Date.parse('2024-03-10T00:00:00Z') + slot++ * 3_600_000;
	return { at, window: { startTime: new Date(at - 1000).toISOString(), endTime: new Date(at + 1000).toISOString() } };
}

let sandbox: Sandbox;
/** An internal service: it counts every connection, and answers none. */
let internal: Server;
let internalPort = 0;
let connections = 0;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: 9,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 30, from: '2024-03-01T00:00:00Z', to: '2024-03-02T00:00:00Z' },
		callCenterRecords: { count: 20, from: '2024-03-01T00:00:00Z', to: '2024-03-03T00:00:00Z' },
		recordingBytes: 8_044,
	});
	internal = createServer((socket) => {
		connections++;
		socket.destroy();
	});
	await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
	internalPort = (internal.address() as AddressInfo).port;
});
afterAll(async () => {
	await sandbox.stop();
	await new Promise<void>((resolve) => internal.close(() => resolve()));
});
beforeEach(() => {
	sandbox.reset();
	connections = 0;
});

type Options = Record<string, unknown>;

function numberRecords(options: Options = {}, credentials: Options = {}, window: Window = NUMBER_WINDOW) {
	return runNode({
		type: 'numberRecords',
		parameters: { operation: 'getMany', ...window, returnAll: true, options: { downloadRecordings: true, ...options } } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox, credentials as never),
	});
}

function callCenter(options: Options = {}, credentials: Options = {}, window: Window = CC_WINDOW) {
	return runNode({
		type: 'callCenterRecords',
		parameters: { operation: 'getMany', ...window, returnAll: true, options: { downloadRecordings: true, ...options } } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox, credentials as never),
	});
}

/** Files one number record whose recording URL is `url`, in a window of its own. */
function numberRecordWith(url: unknown): { id: string; window: Window } {
	const { at, window } = freshWindow();
	const [record] = sandbox.addRecords('numberRecords', 1, at, at);
	record.wire.recordingFileUrl = url;
	return { id: record.id, window };
}

/** Files one call-center record with these voiceUrlList entries, in a window of its own. */
function callCenterRecordWith(list: unknown[]): { id: string; window: Window } {
	const { at, window } = freshWindow();
	const [record] = sandbox.addRecords('callCenterRecords', 1, at, at);
	record.wire.voiceUrlList = list;
	record.wire.voiceUrl = list[0];
	return { id: record.id, window };
}

const itemOf = (result: Awaited<ReturnType<typeof runNode>>, field: string, id: string) => {
	expect(result.items.map((item) => String(item.json[field]))).toEqual([id]);
	return result.items[0];
};

/** Runs `body` with this process accepting the https mirror's self-signed certificate (see recordings.test.ts). */
async function trustingMirror<T>(body: (mirror: string) => Promise<T>): Promise<T> {
	const mirror = await sandbox.recordings.startHttpsMirror();
	const realEnv = (require('module') as { _load: (id: string, parent: null) => NodeJS.Process })._load('process', null).env;
	const previous = realEnv.NODE_TLS_REJECT_UNAUTHORIZED;
	realEnv.NODE_TLS_REJECT_UNAUTHORIZED = '0';
	try {
		return await body(mirror);
	} finally {
		if (previous === undefined) delete realEnv.NODE_TLS_REJECT_UNAUTHORIZED;
		else realEnv.NODE_TLS_REJECT_UNAUTHORIZED = previous;
	}
}

describe('Download Recordings: recording hosts', () => {
	test.each([
		['loopback', () => `http://127.0.0.1:${internalPort}/rec/a.wav`, /loopback address \(127\.0\.0\.0\/8\)/],
		['loopback, written in decimal', () => `http://2130706433:${internalPort}/rec/a.wav`, /loopback/],
		['loopback, IPv4-mapped IPv6', () => `http://[::ffff:127.0.0.1]:${internalPort}/rec/a.wav`, /loopback address inside an IPv6 address/],
		['localhost', () => `http://localhost:${internalPort}/rec/a.wav`, /its host is localhost/],
		['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', /link-local/],
	])('a record URL on %s is refused: Fail the Run names the rule, and nothing connects', async (_name, url, rule) => {
		const { window } = numberRecordWith(url());
		const result = await numberRecords({}, {}, window);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(rule);
		expect(result.error?.message).toMatch(/was not downloaded/);
		expect(result.error?.description).toContain('Allow Private-Network Recording Hosts');
		expect(connections).toBe(0);
	});

	test('under Continue Without the File the refused record gets a recordingError naming the rule, and nothing connects', async () => {
		const { id, window } = numberRecordWith(`http://127.0.0.1:${internalPort}/rec/a.wav`);
		const result = await numberRecords({ onMissingRecording: 'continue' }, {}, window);
		expect(result.error).toBeUndefined();
		const item = itemOf(result, 'callid', id);
		expect(String(item.json.recordingError)).toMatch(/was not downloaded: its host is a loopback address/);
		// It says nothing of what the host would have answered.
		expect(String(item.json.recordingError)).not.toMatch(/HTTP|connection|ECONN/);
		expect(item.binary).toBeUndefined();
		expect(connections).toBe(0);
	});

	test('the sandbox storage host (127.0.0.1, another port than the API) is refused by default', async () => {
		const result = await numberRecords({ onMissingRecording: 'continue' });
		expect(result.error).toBeUndefined();
		const recorded = result.items.filter((item) => String(item.json.recordingFileUrl ?? '') !== '');
		expect(recorded.length).toBeGreaterThan(3);
		for (const item of recorded) expect(String(item.json.recordingError)).toMatch(/loopback/);
		expect(sandbox.recordings.requests).toHaveLength(0);
	});

	test('a trusted https host that redirects to a private one is refused at the redirect, and nothing connects', async () => {
		await trustingMirror(async (mirror) => {
			const path = 'agent-call-record/redirected.wav';
			const { id, window } = callCenterRecordWith([path, 'agent-call-record/stays.wav']);
			sandbox.recordings.inject({ kind: 'redirect', host: 'https', path, location: `https://127.0.0.1:${internalPort}/steal.wav` });
			// The mirror is the Recording Base URL the user typed: allowed. Where it redirects is not.
			const result = await callCenter({ onMissingRecording: 'continue' }, { recordingBaseUrl: mirror }, window);
			expect(result.error).toBeUndefined();
			const item = itemOf(result, 'keyId', id);
			expect(String(item.json.recordingError)).toMatch(new RegExp(`redirected\\.wav was not downloaded: it redirects to https://127\\.0\\.0\\.1:${internalPort}, and its host is a loopback address`));
			expect(sandbox.recordings.requests.filter((r) => r.host === 'https').map((r) => r.path).sort()).toEqual([`/${path}`, '/agent-call-record/stays.wav']);
			// The record's other file, on the mirror itself, arrived.
			expect(Object.keys(item.binary ?? {})).toEqual(['recording_1']);
			expect(connections).toBe(0);
		});
	}, 60_000);

	test('another port on the API host is not the API: refused, while the API origin itself is allowed', async () => {
		expect(new URL(sandbox.url).hostname).toBe('127.0.0.1');
		const { id, window } = numberRecordWith(`http://127.0.0.1:${internalPort}/rec/a.wav`);
		const result = await numberRecords({ onMissingRecording: 'continue' }, {}, window);
		expect(String(itemOf(result, 'callid', id).json.recordingError)).toMatch(/loopback/);
		expect(connections).toBe(0);
	});

	test('with Allow Private-Network Recording Hosts on, the storage host on 127.0.0.1 serves every file', async () => {
		const result = await numberRecords({}, SANDBOX_RECORDING_HOSTS);
		expect(result.error).toBeUndefined();
		const recorded = result.items.filter((item) => String(item.json.recordingFileUrl ?? '') !== '');
		expect(recorded.length).toBeGreaterThan(3);
		for (const item of recorded) {
			expect(item.json.recordingError).toBeUndefined();
			expect(item.binary?.recording?.bytes).toBe(sandbox.recordings.size);
		}
		expect(sandbox.recordings.requests.filter((r) => r.host === 'storage')).toHaveLength(recorded.length);
		expect(connections).toBe(0);
	});

	test('even with the option on, a scheme other than http(s) is refused', async () => {
		const { id, window } = numberRecordWith('file:///etc/passwd');
		const result = await numberRecords({ onMissingRecording: 'continue' }, SANDBOX_RECORDING_HOSTS, window);
		expect(String(itemOf(result, 'callid', id).json.recordingError)).toMatch(/scheme "file:" is not http or https/);
	});
});

describe('Download Recordings: URLs that are no URLs', () => {
	const bad: Array<[string, unknown[], RegExp]> = [
		['a port above 65535', ['http://files.example.com:99999/a.wav'], /"http:\/\/files\.example\.com:99999\/a\.wav" could not be downloaded: it is not a valid URL/],
		['voiceUrlList: [null]', [null], /"null" could not be downloaded: the record gives no text for it/],
		['a number in voiceUrlList', [42], /"42" could not be downloaded: the record gives no text for it/],
	];

	test.each(bad)('%s: Continue Without the File gives a recordingError', async (_name, list, reason) => {
		const { id, window } = callCenterRecordWith(list);
		const result = await callCenter({ onMissingRecording: 'continue' }, { recordingBaseUrl: sandbox.url }, window);
		expect(result.error).toBeUndefined();
		const item = itemOf(result, 'keyId', id);
		expect(String(item.json.recordingError)).toMatch(reason);
		expect(item.binary).toBeUndefined();
	});

	test.each(bad)('%s: Fail the Run stops with a NodeApiError naming the URL', async (_name, list, reason) => {
		const { window } = callCenterRecordWith(list);
		const result = await callCenter({}, { recordingBaseUrl: sandbox.url }, window);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(reason);
	});

	test('voiceUrlList: [null] with an empty Recording Base URL is a bad URL, not "Recording Base URL is empty"', async () => {
		const { id, window } = callCenterRecordWith([null]);
		const kept = await callCenter({ onMissingRecording: 'continue' }, {}, window);
		expect(kept.error).toBeUndefined();
		expect(String(itemOf(kept, 'keyId', id).json.recordingError)).toMatch(/"null" could not be downloaded: the record gives no text for it/);
		const failed = await callCenter({}, {}, window);
		expect(failed.error?.message).toMatch(/"null" could not be downloaded/);
	});

	test('a redirect to "https://" is a recordingError under Continue and a NodeApiError under Fail', async () => {
		const { id, window } = numberRecordWith(`${sandbox.recordings.storageUrl}/rec/redirect-empty.wav`);
		sandbox.recordings.inject({ kind: 'redirect', path: 'redirect-empty', location: 'https://', times: 10 });
		const kept = await numberRecords({ onMissingRecording: 'continue' }, SANDBOX_RECORDING_HOSTS, window);
		expect(kept.error).toBeUndefined();
		expect(String(itemOf(kept, 'callid', id).json.recordingError)).toMatch(/redirected to an address that is not a valid URL/);
		const failed = await numberRecords({}, SANDBOX_RECORDING_HOSTS, window);
		expect(failed.error?.name).toBe('NodeApiError');
		expect(failed.error?.message).toMatch(/rec\/redirect-empty\.wav could not be downloaded: redirected to an address that is not a valid URL/);
	});
});

describe('Download Recordings: the per-file deadline', () => {
	// Eight chunks 400 ms apart: never silent for the Timeout, but over 3 s in all.
	const slow = (path: string) => ({ kind: 'slowBody' as const, path, chunkDelayMs: 400, times: 10 });

	test('a host that trickles the file past Max Download Time fails the run, naming the file and the limit', async () => {
		const { window } = numberRecordWith(`${sandbox.recordings.storageUrl}/rec/trickle.wav`);
		sandbox.recordings.inject(slow('trickle'));
		const started = Date.now();
		const result = await numberRecords({ maxDownloadSeconds: 1, timeoutSeconds: 2 }, SANDBOX_RECORDING_HOSTS, window);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(/rec\/trickle\.wav could not be downloaded: it took longer than the 1 s allowed for one recording/);
		expect(Date.now() - started).toBeLessThan(3_000);
	}, 30_000);

	test('under Continue Without the File the slow file becomes a recordingError and the others arrive', async () => {
		// In the sandbox's own window, beside its records.
		const [record] = sandbox.addRecords('numberRecords', 1, Date.parse('2024-03-01T12:00:00Z'), Date.parse('2024-03-01T12:00:00Z'));
		record.wire.recordingFileUrl = `${sandbox.recordings.storageUrl}/rec/trickle.wav`;
		const id = record.id;
		sandbox.recordings.inject(slow('trickle'));
		const result = await numberRecords({ maxDownloadSeconds: 1, onMissingRecording: 'continue' }, SANDBOX_RECORDING_HOSTS);
		expect(result.error).toBeUndefined();
		const item = result.items.find((i) => String(i.json.callid) === id)!;
		expect(String(item.json.recordingError)).toMatch(/took longer than the 1 s/);
		expect(item.binary).toBeUndefined();
		const others = result.items.filter((i) => i !== item && String(i.json.recordingFileUrl ?? '') !== '');
		expect(others.length).toBeGreaterThan(0);
		for (const other of others) expect(other.binary?.recording?.bytes).toBe(sandbox.recordings.size);
		// One attempt: a deadline is not retried.
		expect(sandbox.recordings.requests.filter((r) => r.path === '/rec/trickle.wav')).toHaveLength(1);
	}, 30_000);

	test('the deadline runs from a file\'s first attempt, not while it waits for a slot', async () => {
		// One download at a time, each at least 400 ms: the last ones start well after 1 s.
		sandbox.latencyMs = 400;
		const result = await numberRecords({ maxDownloadSeconds: 1, maxParallelRequests: 1 }, SANDBOX_RECORDING_HOSTS);
		expect(result.error).toBeUndefined();
		const recorded = result.items.filter((item) => String(item.json.recordingFileUrl ?? '') !== '');
		expect(recorded.length * 400).toBeGreaterThan(1_500);
		for (const item of recorded) expect(item.binary?.recording?.bytes).toBe(sandbox.recordings.size);
	}, 30_000);

	test('a slow file within the deadline arrives whole', async () => {
		const { id, window } = numberRecordWith(`${sandbox.recordings.storageUrl}/rec/trickle.wav`);
		sandbox.recordings.inject({ ...slow('trickle'), chunkDelayMs: 50 });
		const result = await numberRecords({ maxDownloadSeconds: 5 }, SANDBOX_RECORDING_HOSTS, window);
		expect(result.error).toBeUndefined();
		expect(itemOf(result, 'callid', id).binary?.recording?.bytes).toBe(sandbox.recordings.size);
	}, 30_000);
});
