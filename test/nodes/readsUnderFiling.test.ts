/**
 * Reads of a window that the provider keeps filing calls into while they run (#33 item 1),
 * through the real n8n engine against the sandbox: every call filed before the run is returned
 * once, whatever is filed meanwhile, and the read does not fail. The sandbox files one record per
 * page request at random times across the window (so anywhere in the newest-first listing) and
 * serves parallel pages out of order.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../engine/harness';
import { PollHarness } from '../engine/poll';
import type { NodeRunOptions } from '../engine/harness';
import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { EndpointName, Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { earliestVoiceStartMs } from '../../nodes/VoiceRecords/listing';
import { DAY_MS } from '../../nodes/transport/windows';

const WORKFLOW_TZ = 'Europe/Berlin';
// Voice records are served for about two months back: 40 days from just inside that, two windows of at most 31 days.
const VOICE_START = Math.ceil((earliestVoiceStartMs(Date.now()) + 3_600_000) / 1000) * 1000;
const WINDOWS: Record<EndpointName, { startMs: number; endMs: number }> = {
	voiceRecords: { startMs: VOICE_START, endMs: VOICE_START + 40 * DAY_MS },
	numberRecords: { startMs: Date.parse('2024-03-01T00:00:00Z'), endMs: Date.parse('2024-03-08T00:00:00Z') },
	// 120 days: two windows of at most 93 days, read in parallel.
	callCenterRecords: { startMs: Date.parse('2024-01-01T00:00:00Z'), endMs: Date.parse('2024-04-30T00:00:00Z') },
	flashCalls: { startMs: Date.parse('2024-04-30T16:00:00Z'), endMs: Date.parse('2024-05-01T16:00:00Z') },
};
type Kind = keyof typeof WINDOWS;
const NODE_TYPES: Record<Kind, string> = { numberRecords: 'numberRecords', callCenterRecords: 'callCenterRecords', voiceRecords: 'voiceRecords', flashCalls: 'flashCallCdrs' };
const ID_FIELDS: Record<Kind, string> = { numberRecords: 'callid', callCenterRecords: 'keyId', voiceRecords: 'voiceId', flashCalls: 'id' };

let sandbox: Sandbox;
beforeAll(async () => {
	const span = (kind: Kind) => ({ from: new Date(WINDOWS[kind].startMs).toISOString(), to: new Date(WINDOWS[kind].endMs).toISOString() });
	sandbox = await startSandbox({
		seed: 33,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 2_600, ...span('numberRecords') },
		callCenterRecords: { count: 2_600, ...span('callCenterRecords') },
		voiceRecords: { count: 2_600, ...span('voiceRecords') },
		flashCalls: { count: 2_600, ...span('flashCalls') },
	});
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

function credentials(kind: Kind) {
	if (kind === 'flashCalls') return { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: ACCOUNT_TIME_ZONE } };
	return platformCredentials(sandbox);
}

function run(kind: Kind, parameters: IDataObject, type = NODE_TYPES[kind], input?: IDataObject[]) {
	const window = WINDOWS[kind];
	return runNode({
		type,
		parameters: {
			startTime: new Date(window.startMs).toISOString(),
			endTime: new Date(window.endMs).toISOString(),
			options: { maxParallelRequests: 4 },
			...parameters,
		} as NodeRunOptions['parameters'],
		credentials: credentials(kind),
		timezone: WORKFLOW_TZ,
		input,
	});
}

/** Files one call per page request anywhere in the window, pages served up to 15 ms late (so out of order); the ids there before. */
function fileWhileReading(kind: Kind): string[] {
	const window = WINDOWS[kind];
	const before = sandbox.recordsIn(kind, window.startMs, window.endMs).map((r) => r.id);
	sandbox.latencyMs = 5;
	sandbox.fileWhileReading({ endpoint: kind, perRequest: 1, fromMs: window.startMs, toMs: window.endMs, serveJitterMs: 15 });
	return before;
}

/** The calls filed during the run that fall in the window. */
function filedInWindow(kind: Kind): string[] {
	const window = WINDOWS[kind];
	const filed = new Set(sandbox.liveFiled);
	return sandbox.recordsIn(kind, window.startMs, window.endMs).filter((r) => filed.has(r.id)).map((r) => r.id);
}

const PLATFORM_KINDS: Kind[] = ['numberRecords', 'callCenterRecords', 'voiceRecords'];

describe('Get Many while calls are filed into its window', () => {
	test.each([...PLATFORM_KINDS, 'flashCalls' as const])('%s: every call filed before the run, once; no failure', async (kind) => {
		const before = fileWhileReading(kind);
		const result = await run(kind, { operation: 'getMany', returnAll: true });
		expect(result.error).toBeUndefined();
		const ids = result.items.map((item) => String(item.json[ID_FIELDS[kind]]));
		expect(ids).toHaveLength(new Set(ids).size);
		const got = new Set(ids);
		expect(before.filter((id) => !got.has(id))).toEqual([]);
		// Filing really ran through the read: at least one record per page of the window.
		expect(filedInWindow(kind).length).toBeGreaterThanOrEqual(before.length / 100);
		const filed = new Set(sandbox.liveFiled);
		expect(ids.filter((id) => !filed.has(id))).toHaveLength(before.length);
	});
});

describe('Summarize while calls are filed into its window', () => {
	test.each([...PLATFORM_KINDS, 'flashCalls' as const])('%s: counts every call filed before the run once, and no call twice', async (kind) => {
		const before = fileWhileReading(kind);
		const result = await run(kind, { operation: 'summarize', options: { maxParallelRequests: 4, output: 'single' } });
		expect(result.error).toBeUndefined();
		const totals = result.items[result.items.length - 1].json.totals as IDataObject | undefined;
		const calls = Number((totals ?? result.items[result.items.length - 1].json).calls);
		expect(calls).toBeGreaterThanOrEqual(before.length);
		expect(calls).toBeLessThanOrEqual(before.length + filedInWindow(kind).length);
	});

	test('the Get Many tool: its count of the window holds every call there before once', async () => {
		const before = fileWhileReading('callCenterRecords');
		const result = await run('callCenterRecords', { operation: 'getMany', returnAll: true }, 'callCenterRecordsTool', [{}]);
		expect(result.error).toBeUndefined();
		const answer = result.items[0].json as { recordsInWindow: number; records: IDataObject[] };
		expect(answer.recordsInWindow).toBeGreaterThanOrEqual(before.length);
		expect(answer.recordsInWindow).toBeLessThanOrEqual(before.length + filedInWindow('callCenterRecords').length);
		const ids = answer.records.map((record) => String(record.keyId));
		expect(ids.length).toBeGreaterThan(0);
		expect(ids).toHaveLength(new Set(ids).size);
	});

	test('the Summarize tool answers for a window being filed into', async () => {
		const before = fileWhileReading('callCenterRecords');
		const result = await run('callCenterRecords', { operation: 'summarize', options: { maxParallelRequests: 4 } }, 'callCenterRecordsTool', [{}]);
		expect(result.error).toBeUndefined();
		const answer = JSON.stringify(result.items[0].json);
		const calls = Number(/"calls":(\d+)/.exec(answer)?.[1]);
		expect(calls).toBeGreaterThanOrEqual(before.length);
		expect(calls).toBeLessThanOrEqual(before.length + filedInWindow('callCenterRecords').length);
	});
});

describe('the trigger while calls are filed into what it reads', () => {
	test('a backfill over 2,600 calls: every call there before emitted once over the polls, none fails', async () => {
		const now = Date.now();
		const kept = sandbox.stores.numberRecords;
		sandbox.stores.numberRecords = [];
		const before = sandbox.addRecords('numberRecords', 2_600, now - 3 * 3_600_000, now - 5 * 60_000).map((r) => r.id);
		sandbox.latencyMs = 5;
		sandbox.fileWhileReading({ endpoint: 'numberRecords', perRequest: 1, fromMs: now - 3 * 3_600_000, serveJitterMs: 15 });
		const trigger = new PollHarness(
			{ source: 'numberRecords', options: { backfillFrom: new Date(now - 4 * 3_600_000).toISOString(), maxRecordsPerPoll: 5_000, settleSeconds: 60 } },
			platformCredentials(sandbox),
		);
		const emitted: string[] = [];
		for (let poll = 0; poll < 3; poll++) {
			const { items, error } = await trigger.poll();
			expect(error).toBeUndefined();
			emitted.push(...items.map((item) => String(item.callid)));
		}
		expect(emitted).toHaveLength(new Set(emitted).size);
		const got = new Set(emitted);
		expect(before.filter((id) => !got.has(id))).toEqual([]);
		expect(sandbox.liveFiled.length).toBeGreaterThanOrEqual(26);
		sandbox.stores.numberRecords = kept;
	});
});
