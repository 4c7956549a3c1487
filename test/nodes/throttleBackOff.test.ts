/**
 * The default Max Parallel Requests (16) is safe because a read slows down on the first sign of
 * throttling: an API that refuses whatever is over its limit in flight (HTTP 429, status -18, or
 * NXCloud's code 3) sees the read drop to that limit or below for the rest of the run, and the
 * read is still exact. Through the real n8n engine, no Max Parallel Requests set.
 */
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { numberRecordsSandbox, platformCredentials } from '../engine/fixtures';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { LoggedRequest, Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { DEFAULT_MAX_PARALLEL_REQUESTS } from '../../nodes/shared/getManyFields';

/** What the API takes in flight before it refuses. */
const API_LIMIT = 5;
/** Refusals a read that backs off takes: its first burst, and a few answered while it settles. */
const FIRST_BURST = DEFAULT_MAX_PARALLEL_REQUESTS + 4;
const REFUSALS = new Set(['HTTP 429', 'status -18', 'status 3']);

/** Refusals in all, and after the first burst (the first 2 × the default requests): at most one or two
 * there, where a connection the server has not yet counted as closed meets the lowered limit. */
function throttling(requests: LoggedRequest[]) {
	const refused = (r: LoggedRequest) => REFUSALS.has(r.answer ?? '');
	return { refused: requests.filter(refused).length, refusedLater: requests.slice(2 * DEFAULT_MAX_PARALLEL_REQUESTS).filter(refused).length };
}

describe('the default parallelism backs off when the API throttles', () => {
	let numbers: Sandbox;
	let flash: Sandbox;
	beforeAll(async () => {
		numbers = await numberRecordsSandbox(10_000);
		flash = await startSandbox({
			seed: 3,
			timeZone: 'Asia/Shanghai',
			flashCalls: { count: 20_000, from: '2024-04-30T16:00:00Z', to: '2024-05-01T16:00:00Z', granularityMs: 5_000 },
		});
	});
	afterAll(async () => {
		await numbers.stop();
		await flash.stop();
	});

	test('the default is more than the API takes, so these tests throttle', () => {
		expect(DEFAULT_MAX_PARALLEL_REQUESTS).toBeGreaterThan(API_LIMIT + 2);
	});

	test.each([
		['HTTP 429', '429'],
		['status -18', '-18'],
	] as const)('Number Records on %s', async (_name, kind) => {
		numbers.reset();
		numbers.latencyMs = 30;
		numbers.setThrottle({ maxInFlight: API_LIMIT, kind });
		const result = await runNode({
			type: 'numberRecords',
			parameters: { operation: 'getMany', startTime: '2024-03-01T00:00:00Z', endTime: '2024-03-08T00:00:00Z', returnAll: true } as NodeRunOptions['parameters'],
			credentials: platformCredentials(numbers),
			timezone: 'UTC',
		});
		numbers.setThrottle(undefined);
		expect(result.error).toBeUndefined();
		const want = numbers.recordsIn('numberRecords', Date.parse('2024-03-01T00:00:00Z'), Date.parse('2024-03-08T00:00:00Z')).map((r) => r.id);
		expect(want.length).toBeGreaterThan(2_000);
		expect(result.items.map((i) => i.json.callid)).toEqual(want);
		const { refused, refusedLater } = throttling(numbers.requests);
		// Refused in the first burst (the default asked for more than 5 at once), hardly after: a read
		// that kept its parallelism is refused again every round (over 40 times here).
		expect(refused).toBeGreaterThan(0);
		expect(refused).toBeLessThanOrEqual(FIRST_BURST);
		expect(refusedLater).toBeLessThanOrEqual(2);
	});

	test('Flash Call CDRs on code 3 (too many requests for the app)', async () => {
		flash.reset();
		flash.latencyMs = 30;
		// The sandbox answers NXCloud's code 3 where the platform answers -18.
		flash.setThrottle({ maxInFlight: API_LIMIT, kind: '-18' });
		const day = { startTime: '2024-05-01T00:00:00+08:00', endTime: '2024-05-02T00:00:00+08:00' };
		const result = await runNode({
			type: 'flashCallCdrs',
			parameters: { operation: 'getMany', ...day, returnAll: true } as NodeRunOptions['parameters'],
			credentials: { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: flash.url, timeZone: 'Asia/Shanghai' } },
			timezone: 'UTC',
		});
		flash.setThrottle(undefined);
		expect(result.error).toBeUndefined();
		const want = flash.recordsIn('flashCalls', Date.parse(day.startTime), Date.parse(day.endTime)).reverse().map((r) => r.id);
		expect(result.items.map((i) => String(i.json.id))).toEqual(want);
		expect(flash.requests.some((r) => r.answer === 'status 3')).toBe(true);
		const { refused, refusedLater } = throttling(flash.requests);
		expect(refused).toBeLessThanOrEqual(FIRST_BURST);
		expect(refusedLater).toBeLessThanOrEqual(2);
	});
});
