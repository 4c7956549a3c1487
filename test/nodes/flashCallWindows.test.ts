/**
 * Issue #33 item 4: Flash Call CDRs on a busy NXCloud application. A second holding 100 or more
 * flash calls (more than one call returns, and the API pages by whole seconds) does not stall
 * the trigger; a window is cut into parallel shards only when one cursor would need many calls.
 * Through n8n-core against the sandbox over HTTP; the trigger's time is simulated by moving
 * Date.now for the trigger and the sandbox alike.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { ACCOUNT_TIME_ZONE } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { PollHarness } from '../engine/poll';
import { FLASH_CALL_MAX_ROWS, NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';

const MIN = 60_000;
const T0 = Date.parse('2025-06-01T08:00:00Z');
let now = T0;
let sandbox: Sandbox;
let warnings: string[] = [];

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 33, timeZone: ACCOUNT_TIME_ZONE });
	jest.spyOn(Date, 'now').mockImplementation(() => now);
	jest.spyOn(Container.get(Logger), 'warn').mockImplementation((message: string) => {
		warnings.push(message);
	});
});
afterAll(async () => {
	jest.restoreAllMocks();
	await sandbox.stop();
});
beforeEach(() => {
	sandbox.reset();
	sandbox.stores.flashCalls = [];
	now = T0;
	warnings = [];
});

const nxCloudApi = () => ({ appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: ACCOUNT_TIME_ZONE });
const flashTrigger = (options: Record<string, unknown> = {}) =>
	new PollHarness({ source: 'flashCallCdrs', options: { lookBackMinutes: 15, settleSeconds: 60, ...options } }, { nxCloudApi: nxCloudApi() });
const flashCallRequests = () => sandbox.requests.filter((r) => r.endpoint === 'flashCalls').length;
const idsOf = (items: Array<Record<string, unknown>>) => items.map((i) => String(i.id));
const sorted = (list: string[]) => [...list].sort();

function runFlashCalls(parameters: Record<string, unknown>) {
	return runNode({
		type: 'flashCallCdrs',
		parameters: parameters as NodeRunOptions['parameters'],
		credentials: { nxCloudApi: nxCloudApi() },
		timezone: 'UTC',
	});
}

describe('Flash Call CDRs: a crowded second under the trigger', () => {
	test('150 flash-call rows on one second: the 100 the API returns are emitted once, marked, logged; later polls go on and later records flow', async () => {
		const trigger = flashTrigger();
		expect((await trigger.poll()).error).toBeUndefined();

		const crowdedMs = T0 + 2 * MIN + 7_000;
		const before = sandbox.addRecords('flashCalls', 20, T0, T0 + MIN);
		const crowded = sandbox.addRecords('flashCalls', 150, crowdedMs, crowdedMs);
		const after = sandbox.addRecords('flashCalls', 20, crowdedMs + 1000, T0 + 3 * MIN);
		// What NXCloud answers for a call starting on that second: its first 100 rows, no more.
		const served = sandbox.recordsIn('flashCalls', crowdedMs, crowdedMs).slice(-FLASH_CALL_MAX_ROWS).map((r) => r.id);
		expect(served).toHaveLength(100);
		const secondText = String(crowded[0].wire.gmtCreate);
		// One of them also has a field that does not convert: its recordError gives both reasons.
		const bad = crowded.find((r) => r.id === served[50])!;
		bad.wire = { ...bad.wire, price: 'n/a' };

		now = T0 + 5 * MIN;
		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		const emitted = idsOf(first.items);
		expect(emitted).toHaveLength(new Set(emitted).size);
		expect(sorted(emitted)).toEqual(sorted([...before, ...after].map((r) => r.id).concat(served)));
		// Each row of the crowded second says so; no other row is marked.
		for (const item of first.items) {
			if (served.includes(String(item.id))) {
				expect(item.recordError).toContain(`${secondText} (${ACCOUNT_TIME_ZONE})`);
				expect(item.recordError).toMatch(/100 or more flash calls/);
				if (String(item.id) === bad.id) expect(item.recordError).toMatch(/could not be read whole: "price" .*100 or more flash calls/);
			} else {
				expect(item.recordError).toBeUndefined();
			}
		}
		expect(first.items.find((item) => String(item.id) === bad.id)?.price).toBe('n/a');
		const said = warnings.filter((w) => w.includes(secondText));
		expect(said).toHaveLength(1);
		expect(said[0]).toMatch(/100 flash call cdrs/i);

		// The second stays in the look-back: later polls read it again, emit nothing twice, say nothing again.
		const emittedLater: string[] = [];
		const fresh = sandbox.addRecords('flashCalls', 10, T0 + 6 * MIN, T0 + 7 * MIN);
		for (let minute = 6; minute <= 20; minute++) {
			now = T0 + minute * MIN;
			const poll = await trigger.poll();
			expect(poll.error).toBeUndefined();
			emittedLater.push(...idsOf(poll.items));
		}
		expect(sorted(emittedLater)).toEqual(sorted(fresh.map((r) => r.id)));
		expect(warnings.filter((w) => w.includes(secondText))).toHaveLength(1);
	});
});

describe('Flash Call CDRs: a crowded second outside the trigger', () => {
	test('Get Many and Summarize still fail on it, naming the second', async () => {
		const crowdedMs = T0 + 2 * MIN;
		sandbox.addRecords('flashCalls', 30, T0, T0 + 10 * MIN);
		sandbox.addRecords('flashCalls', 120, crowdedMs, crowdedMs);
		const window = { startTime: new Date(T0).toISOString(), endTime: new Date(T0 + 10 * MIN).toISOString() };
		const message = '100 or more flash calls share the second 2025-06-01 16:02:00 (Asia/Shanghai); the API cannot page past it';
		expect((await runFlashCalls({ operation: 'getMany', returnAll: true, ...window })).error?.message).toBe(message);
		expect((await runFlashCalls({ operation: 'summarize', ...window })).error?.message).toBe(message);
	});
});

describe('Flash Call CDRs: a window is sharded only when one cursor would need many calls', () => {
	test('a trigger polling every minute costs 1 request a poll', async () => {
		const trigger = flashTrigger();
		await trigger.poll();
		for (let minute = 1; minute <= 5; minute++) {
			sandbox.addRecords('flashCalls', 3, T0 + (minute - 1) * MIN, T0 + minute * MIN - 1000);
			now = T0 + minute * MIN + 30_000;
			sandbox.reset();
			const poll = await trigger.poll();
			expect(poll.error).toBeUndefined();
			expect(flashCallRequests()).toBe(1);
		}
	});

	test('Get Many and Summarize of a 16-minute window with few rows cost 1 request each', async () => {
		const rows = sandbox.addRecords('flashCalls', 40, T0, T0 + 16 * MIN);
		const window = { startTime: new Date(T0).toISOString(), endTime: new Date(T0 + 16 * MIN).toISOString() };
		const many = await runFlashCalls({ operation: 'getMany', returnAll: true, ...window });
		expect(many.error).toBeUndefined();
		expect(sorted(idsOf(many.items.map((i) => i.json)))).toEqual(sorted(rows.map((r) => r.id)));
		expect(flashCallRequests()).toBe(1);

		sandbox.reset();
		const summary = await runFlashCalls({ operation: 'summarize', ...window });
		expect(summary.error).toBeUndefined();
		expect(summary.items[summary.items.length - 1].json.calls).toBe(40);
		expect(flashCallRequests()).toBe(1);
	});

	test('a busy day is still read in parallel shards, exactly, at no more than a quarter more calls than one cursor', async () => {
		const rows = sandbox.addRecords('flashCalls', 5_000, T0, T0 + 24 * 60 * MIN);
		const window = { startTime: new Date(T0).toISOString(), endTime: new Date(T0 + 24 * 60 * MIN).toISOString() };
		sandbox.latencyMs = 5;
		const many = await runFlashCalls({ operation: 'getMany', returnAll: true, ...window, options: { maxParallelRequests: 4 } });
		expect(many.error).toBeUndefined();
		expect(idsOf(many.items.map((i) => i.json))).toEqual(sandbox.recordsIn('flashCalls', T0, T0 + 24 * 60 * MIN).reverse().map((r) => r.id));
		expect(many.items).toHaveLength(rows.length);
		const sharded = flashCallRequests();
		expect(sandbox.maxInFlight).toBeGreaterThan(1);

		sandbox.reset();
		await runFlashCalls({ operation: 'getMany', returnAll: false, limit: 1_000_000, ...window });
		const oneCursor = flashCallRequests();
		expect(sharded).toBeLessThanOrEqual(Math.ceil(oneCursor * 1.25) + 1);
	});
});
