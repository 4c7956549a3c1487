/**
 * Download Recordings through the real n8n engine: Number Records (absolute URLs on the
 * sandbox's storage host, another origin) and Call Center Records (relative paths on the API's
 * origin), byte for byte, with the headers only where they belong, and every failure kind under
 * both On Missing Recording choices. The trigger's part is in callRecordsTrigger.test.ts; the
 * address rules, bad URLs and the per-file deadline are in recordingHosts.test.ts.
 */
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { ACCOUNT_TIME_ZONE, SANDBOX_RECORDING_HOSTS, platformCredentials } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import type { RecordingFault } from '../sandbox/recordings';
import { recordingBytes, sha256 } from '../sandbox/recordings';
import type { Sandbox } from '../sandbox/server';
import { DEMO_ACCOUNT, startSandbox } from '../sandbox/server';
import { computeSign } from '../../nodes/transport/signature';

const NUMBER_WINDOW = { startTime: '2024-03-01T00:00:00Z', endTime: '2024-03-02T00:00:00Z' };
const CC_WINDOW = { startTime: '2024-03-01T00:00:00Z', endTime: '2024-03-03T00:00:00Z' };

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		seed: 5,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 120, from: '2024-03-01T00:00:00Z', to: '2024-03-02T00:00:00Z' },
		callCenterRecords: { count: 60, from: '2024-03-01T00:00:00Z', to: '2024-03-03T00:00:00Z' },
		recordingBytes: 20_044,
	});
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

type Options = Record<string, unknown>;

function numberRecords(options: Options = {}, credentials: Record<string, unknown> = {}, extra: Partial<NodeRunOptions> = {}) {
	return runNode({
		type: 'numberRecords',
		parameters: { operation: 'getMany', ...NUMBER_WINDOW, returnAll: true, options: { downloadRecordings: true, ...options } } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox, { ...SANDBOX_RECORDING_HOSTS, ...credentials } as never),
		...extra,
	});
}

function callCenter(options: Options = {}, credentials: Record<string, unknown> = { recordingBaseUrl: sandbox.url }) {
	return runNode({
		type: 'callCenterRecords',
		parameters: { operation: 'getMany', ...CC_WINDOW, returnAll: true, options: { downloadRecordings: true, ...options } } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox, credentials as never),
	});
}

const bytesOf = (binary: IBinaryData) => Buffer.from(binary.data, 'base64');
/** The path a storage URL or a relative path names, as the sandbox keys its files. */
const pathOf = (url: string) => (/^https?:/.test(url) ? new URL(url).pathname : `/${url}`);
const withRecording = (items: INodeExecutionData[]) => items.filter((item) => String(item.json.recordingFileUrl ?? '') !== '');

/** Checks each binary is the file the record names, byte for byte, with its name, type and size. */
function expectFilesOf(item: INodeExecutionData, urls: string[], property = 'recording') {
	urls.forEach((url, n) => {
		const binary = item.binary?.[n === 0 ? property : `${property}_${n}`];
		expect(binary).toBeDefined();
		const want = recordingBytes(pathOf(url).slice(1), sandbox.recordings.size);
		expect(sha256(bytesOf(binary!))).toBe(sha256(want));
		expect(binary!.mimeType).toBe('audio/wav');
		expect(binary!.fileName).toBe(pathOf(url).split('/').pop());
		expect(binary!.bytes).toBe(want.length);
	});
}

describe('Download Recordings: Number Records (absolute URLs on a storage host)', () => {
	test('every recording arrives byte-identical; records without one pass through unchanged', async () => {
		const result = await numberRecords();
		expect(result.error).toBeUndefined();
		const recorded = withRecording(result.items);
		expect(recorded.length).toBeGreaterThan(10);
		expect(result.items.length).toBeGreaterThan(recorded.length);
		for (const item of recorded) {
			expect(String(item.json.recordingFileUrl).startsWith(sandbox.recordings.storageUrl)).toBe(true);
			expectFilesOf(item, [String(item.json.recordingFileUrl)]);
		}
		for (const item of result.items.filter((i) => !recorded.includes(i))) {
			expect(item.binary).toBeUndefined();
			expect(item.json.recordingError).toBeUndefined();
		}
		expect(sandbox.recordings.requests.filter((r) => r.host === 'storage')).toHaveLength(recorded.length);
	});

	test('the storage host never sees Api-Key, Sign or Timestamp', async () => {
		await numberRecords();
		const storage = sandbox.recordings.requests.filter((r) => r.host === 'storage');
		expect(storage.length).toBeGreaterThan(10);
		for (const request of storage) expect([request.apiKey, request.sign, request.timestamp]).toEqual([undefined, undefined, undefined]);
	});

	test('with the headers allowed for the Recording Base URL, another host still gets none', async () => {
		// The storage host is not the Recording Base URL's host here: a pre-signed link elsewhere.
		await numberRecords({}, { recordingBaseUrl: 'https://files.example.com', signRecordingHost: true });
		const storage = sandbox.recordings.requests.filter((r) => r.host === 'storage');
		expect(storage.length).toBeGreaterThan(10);
		for (const request of storage) expect(request.apiKey).toBeUndefined();
	});

	test('an invalid Recording Base URL that no path needs does not stop absolute downloads', async () => {
		const result = await numberRecords({}, { recordingBaseUrl: 'files.example.com', signRecordingHost: true });
		expect(result.error).toBeUndefined();
		for (const item of withRecording(result.items)) expectFilesOf(item, [String(item.json.recordingFileUrl)]);
	});

	test('the binary field can be named', async () => {
		const result = await numberRecords({ binaryPropertyName: 'audio' });
		const item = withRecording(result.items)[0];
		expect(Object.keys(item.binary ?? {})).toEqual(['audio']);
		expectFilesOf(item, [String(item.json.recordingFileUrl)], 'audio');
	});

	test('downloads stay within Max Parallel Requests', async () => {
		sandbox.latencyMs = 40;
		const result = await numberRecords({ maxParallelRequests: 3 });
		expect(result.error).toBeUndefined();
		const storage = sandbox.recordings.requests.filter((r) => r.host === 'storage');
		// A download holds its slot from request to the body's end; count overlaps of the arrivals 40 ms windows.
		const most = Math.max(...storage.map((r) => storage.filter((o) => o.at <= r.at && o.at > r.at - 35).length));
		expect(most).toBeLessThanOrEqual(3);
	});
});

describe('Download Recordings: Call Center Records (relative paths on the API origin)', () => {
	test('relative paths resolve against Recording Base URL; signed there; several files per record', async () => {
		const result = await callCenter();
		expect(result.error).toBeUndefined();
		const recorded = result.items.filter((item) => (item.json.voiceUrlList as string[]).length > 0);
		const twoParts = recorded.filter((item) => (item.json.voiceUrlList as string[]).length === 2);
		expect(recorded.length).toBeGreaterThan(10);
		expect(twoParts.length).toBeGreaterThan(0);
		for (const item of recorded) expectFilesOf(item, item.json.voiceUrlList as string[]);
		for (const item of twoParts) expect(Object.keys(item.binary ?? {})).toEqual(['recording', 'recording_1']);
		const api = sandbox.recordings.requests.filter((r) => r.host === 'api');
		expect(api.length).toBe(recorded.reduce((n, item) => n + (item.json.voiceUrlList as string[]).length, 0));
		for (const request of api) {
			expect(request.apiKey).toBe(DEMO_ACCOUNT.apiKey);
			expect(request.sign).toBe(computeSign(DEMO_ACCOUNT.apiKey, DEMO_ACCOUNT.apiSecret, request.timestamp!));
		}
	});

	test('a relative path without Recording Base URL fails once, before any download, naming the field and a path', async () => {
		const result = await callCenter({}, {});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain('Recording Base URL');
		expect(result.error?.description).toMatch(/e\.g\. "agent-call-record\/\d+(-2)?\.wav"/);
		expect(sandbox.recordings.requests).toHaveLength(0);
	});

	test('a Recording Base URL on another host gets no headers unless the credential allows it', async () => {
		const storageBase = sandbox.recordings.storageUrl;
		const plain = await callCenter({}, { recordingBaseUrl: storageBase });
		expect(plain.error).toBeUndefined();
		const unsigned = sandbox.recordings.requests.filter((r) => r.host === 'storage');
		expect(unsigned.length).toBeGreaterThan(10);
		for (const request of unsigned) expect(request.apiKey).toBeUndefined();
		sandbox.reset();
		const allowed = await callCenter({}, { recordingBaseUrl: storageBase, signRecordingHost: true });
		expect(allowed.error).toBeUndefined();
		const signed = sandbox.recordings.requests.filter((r) => r.host === 'storage');
		for (const request of signed) expect(request.apiKey).toBe(DEMO_ACCOUNT.apiKey);
	});
});

/** The first number record with a recording: the one the faults below hit. */
async function firstRecordedPath(): Promise<string> {
	const plain = await runNode({
		type: 'numberRecords',
		parameters: { operation: 'getMany', ...NUMBER_WINDOW, returnAll: true },
		credentials: platformCredentials(sandbox),
	});
	sandbox.reset();
	return new URL(String(withRecording(plain.items)[0].json.recordingFileUrl)).pathname;
}

describe('Download Recordings: failures, under both On Missing Recording choices', () => {
	const permanent: Array<[string, (path: string) => RecordingFault, RegExp, Options?]> = [
		['404', (path) => ({ kind: 'notFound', path }), /HTTP 404/],
		['403 (an expired link)', (path) => ({ kind: 'http', httpStatus: 403, path }), /HTTP 403/],
		['a redirect to http', (path) => ({ kind: 'redirect', path, location: 'http://127.0.0.1:9/elsewhere.wav' }), /non-https/],
		['a file over Max Recording Size, sent without a length', (path) => ({ kind: 'oversize', path, bytes: 1_300_000 }), /over the limit of 1 MB/, { maxRecordingSizeMb: 1 }],
		['a reset mid-body on every attempt', (path) => ({ kind: 'resetMidBody', path, times: 20 }), /connection failed/],
	];

	test.each(permanent)('%s: Fail the Run stops with an error naming the file', async (_name, fault, reason, options = {}) => {
		const path = await firstRecordedPath();
		sandbox.recordings.inject(fault(path));
		const result = await numberRecords(options);
		expect(result.error?.name).toBe('NodeApiError');
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(reason);
		expect(result.error?.message).toContain(path);
	}, 60_000);

	test.each(permanent)('%s: Continue Without the File keeps the record, with recordingError', async (_name, fault, reason, options = {}) => {
		const path = await firstRecordedPath();
		sandbox.recordings.inject(fault(path));
		const result = await numberRecords({ ...options, onMissingRecording: 'continue' });
		expect(result.error).toBeUndefined();
		const recorded = withRecording(result.items);
		const missing = recorded.filter((item) => item.json.recordingError !== undefined);
		expect(missing).toHaveLength(1);
		expect(String(missing[0].json.recordingFileUrl)).toContain(path);
		expect(String(missing[0].json.recordingError)).toMatch(reason);
		expect(missing[0].binary).toBeUndefined();
		for (const item of recorded.filter((i) => i !== missing[0])) expectFilesOf(item, [String(item.json.recordingFileUrl)]);
	}, 60_000);

	const transient: Array<[string, (path: string) => RecordingFault]> = [
		['a reset mid-body, once', (path) => ({ kind: 'resetMidBody', path })],
		['HTTP 503, twice', (path) => ({ kind: 'http', httpStatus: 503, path, times: 2 })],
		['HTTP 429', (path) => ({ kind: 'http', httpStatus: 429, path })],
		['a slow body', (path) => ({ kind: 'slowBody', path, chunkDelayMs: 150 })],
	];

	test.each(transient)('%s: retried or waited for, and the file arrives whole', async (_name, fault) => {
		const path = await firstRecordedPath();
		sandbox.recordings.inject(fault(path));
		const result = await numberRecords();
		expect(result.error).toBeUndefined();
		for (const item of withRecording(result.items)) expectFilesOf(item, [String(item.json.recordingFileUrl)]);
		expect(sandbox.recordings.requests.filter((r) => r.path === path).length).toBeGreaterThanOrEqual(1);
	}, 60_000);

	test('a redirect to https on another origin is followed, and the headers do not follow it', async () => {
		const mirror = await sandbox.recordings.startHttpsMirror();
		// The mirror's certificate is self-signed: this test's process accepts it for the test's
		// duration. Node's TLS reads the real environment, which jest hands tests only a copy of.
		const realEnv = (require('module') as { _load: (id: string, parent: null) => NodeJS.Process })._load('process', null).env;
		const previous = realEnv.NODE_TLS_REJECT_UNAUTHORIZED;
		realEnv.NODE_TLS_REJECT_UNAUTHORIZED = '0';
		try {
			const plain = await runNode({
				type: 'callCenterRecords',
				parameters: { operation: 'getMany', ...CC_WINDOW, returnAll: true },
				credentials: platformCredentials(sandbox),
			});
			const first = (plain.items.find((item) => (item.json.voiceUrlList as string[]).length > 0)!.json.voiceUrlList as string[])[0];
			sandbox.reset();
			sandbox.recordings.inject({ kind: 'redirect', host: 'api', path: first, location: `${mirror}/${first}` });
			const result = await callCenter({}, { recordingBaseUrl: sandbox.url, ...SANDBOX_RECORDING_HOSTS });
			expect(result.error).toBeUndefined();
			const moved = result.items.find((item) => (item.json.voiceUrlList as string[])[0] === first)!;
			expectFilesOf(moved, moved.json.voiceUrlList as string[]);
			const atApi = sandbox.recordings.requests.find((r) => r.host === 'api' && r.path === `/${first}`)!;
			expect(atApi.apiKey).toBe(DEMO_ACCOUNT.apiKey);
			const atMirror = sandbox.recordings.requests.filter((r) => r.host === 'https');
			expect(atMirror).toHaveLength(1);
			expect([atMirror[0].apiKey, atMirror[0].sign, atMirror[0].timestamp]).toEqual([undefined, undefined, undefined]);
		} finally {
			if (previous === undefined) delete realEnv.NODE_TLS_REJECT_UNAUTHORIZED;
			else realEnv.NODE_TLS_REJECT_UNAUTHORIZED = previous;
		}
	}, 60_000);
});

describe('Download Recordings: options', () => {
	test('an invalid field name is refused before any request', async () => {
		const result = await numberRecords({ binaryPropertyName: 'my recording' });
		expect(result.error?.message).toContain('Put Recording in Field');
		expect(sandbox.requests).toHaveLength(0);
	});
});
