/**
 * Flash Call CDRs (NXCloud) through the real n8n engine against the API sandbox over HTTP.
 */
import { LoggerProxy } from 'n8n-workflow';

import { testCredential } from '../engine/credentialTest';
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { Sandbox, SandboxOptions } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { NXCLOUD_CODES } from '../../nodes/transport/nxcloudStatus';
import { ZoneClock } from '../../nodes/transport/time';

const API_TZ = 'Asia/Shanghai';
const WORKFLOW_TZ = 'UTC';
const DAY = { startTime: '2024-05-01T00:00:00+08:00', endTime: '2024-05-02T00:00:00+08:00' };
const api = new ZoneClock(API_TZ);

function flashSandbox(extra: SandboxOptions = {}) {
	return startSandbox({
		seed: 3,
		timeZone: API_TZ,
		// Every row on a 15-second grid: most seconds with rows hold several.
		flashCalls: { count: 5_200, from: '2024-04-30T16:00:00Z', to: '2024-05-01T16:00:00Z', granularityMs: 15_000 },
		...extra,
	});
}

const credentials = (sandbox: Sandbox, overrides: Record<string, string> = {}) => ({
	nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: API_TZ, ...overrides },
});

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await flashSandbox();
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

function run(parameters: Record<string, unknown> = {}, extra: Partial<NodeRunOptions> = {}, on = sandbox) {
	return runNode({
		type: 'flashCallCdrs',
		parameters: { operation: 'getMany', ...DAY, returnAll: true, ...parameters } as NodeRunOptions['parameters'],
		credentials: credentials(on),
		timezone: WORKFLOW_TZ,
		...extra,
	});
}
const rowIds = (result: Awaited<ReturnType<typeof run>>) => result.items.map((item) => String(item.json.id));
const expected = (on = sandbox) =>
	on.recordsIn('flashCalls', Date.parse(DAY.startTime), Date.parse(DAY.endTime)).reverse().map((r) => r.id);

describe('Flash Call CDRs: cursor paging', () => {
	test('5,000+ rows over a day with many shared seconds come back exactly, oldest first', async () => {
		const want = expected();
		expect(want.length).toBeGreaterThan(5_000);
		const shared = new Map<number, number>();
		for (const r of sandbox.stores.flashCalls) shared.set(r.startMs, (shared.get(r.startMs) ?? 0) + 1);
		expect([...shared.values()].filter((n) => n > 1).length).toBeGreaterThan(500);

		const result = await run();
		expect(result.error).toBeUndefined();
		const got = rowIds(result);
		expect(new Set(got).size).toBe(got.length);
		expect(got).toEqual(want);
		expect(sandbox.requests.every((r) => r.answer === 'status 0')).toBe(true);
		// Read once for the item, not again (in n8n: from its database) for each of the many calls.
		expect(sandbox.requests.length).toBeGreaterThan(50);
		expect(result.credentialReads).toBe(1);
	});

	test('the sharded parallel read equals one sequential cursor over the whole window', async () => {
		const parallel = await run({ options: { maxParallelRequests: 8 } });
		sandbox.reset();
		const sequential = await run({ returnAll: false, limit: 1_000_000, options: { maxParallelRequests: 1 } });
		// One cursor: every call after the first starts at the previous call's last row.
		const starts = sandbox.requests.map((r) => r.query.start);
		expect([...starts].sort()).toEqual(starts);
		expect(parallel.items.map((i) => i.json)).toEqual(sequential.items.map((i) => i.json));
		expect(rowIds(parallel)).toEqual(expected());
	});

	test('Limit reads from the start only as far as needed', async () => {
		const result = await run({ returnAll: false, limit: 150 });
		expect(rowIds(result)).toEqual(expected().slice(0, 150));
		expect(sandbox.requests).toHaveLength(2);
		// The second call starts at the time of the first call's last row.
		const firstLast = sandbox.recordsIn('flashCalls', Date.parse(DAY.startTime), Date.parse(DAY.endTime)).reverse()[99].wire.gmtCreate;
		expect(sandbox.requests[1].query.start).toBe(firstLast);
	});

	test('a second holding more than 100 rows fails with an error naming it, without looping', async () => {
		const stalled = await flashSandbox();
		try {
			const second = Date.parse('2024-05-01T09:30:07+08:00');
			stalled.addRecords('flashCalls', 130, second, second);
			const result = await run({}, {}, stalled);
			expect(result.error?.message).toBe('100 or more flash calls share the second 2024-05-01 09:30:07 (Asia/Shanghai); the API cannot page past it');
			expect(result.items).toHaveLength(0);
			expect(stalled.requests.length).toBeLessThan(200);
		} finally {
			await stalled.stop();
		}
	});
});

describe('Flash Call CDRs: output and dialects', () => {
	test('price is a number, times ISO 8601 in the workflow zone, callStatus kept', async () => {
		const result = await run({ returnAll: false, limit: 100 });
		const stored = sandbox.recordsIn('flashCalls', Date.parse(DAY.startTime), Date.parse(DAY.endTime)).reverse().slice(0, 100);
		result.items.forEach(({ json }, i) => {
			const wire = stored[i].wire as Record<string, any>;
			expect(json.price).toBe(wire.price);
			expect(typeof json.price).toBe('number');
			expect(json.gmtCreate).toBe(new Date(api.parseWall(wire.gmtCreate)!).toISOString().replace('.000Z', '+00:00'));
			expect(json.callStartAt).toBe(wire.callStartAt === null ? null : new ZoneClock(WORKFLOW_TZ).toIso(api.parseWall(wire.callStartAt)!));
			expect(json.callStatus).toBe(wire.callStatus);
		});
	});

	test('Raw Output returns the rows as sent', async () => {
		const result = await run({ returnAll: false, limit: 20, options: { rawOutput: true } });
		const stored = sandbox.recordsIn('flashCalls', Date.parse(DAY.startTime), Date.parse(DAY.endTime)).reverse().slice(0, 20);
		expect(result.items.map((i) => i.json)).toEqual(stored.map((r) => r.wire));
	});

	test('the window goes out as yyyy-MM-dd HH:mm:ss in the API time zone, with appkey and secretkey', async () => {
		await run({ returnAll: false, limit: 5 });
		expect(sandbox.requests[0].path).toBe('/otp/call/list');
		expect(sandbox.requests[0].query).toMatchObject({ start: '2024-05-01 00:00:00', end: '2024-05-02 00:00:00', appkey: NXCLOUD_DEMO_APP.appKey, secretkey: NXCLOUD_DEMO_APP.appSecret });
	});

	test('a server that spells the path /opt/ and the secret appsecret works too', async () => {
		const other = await flashSandbox({ nxcloud: { paths: ['/opt/call/list'], secretParam: 'appsecret' } });
		try {
			const result = await run({}, {}, other);
			expect(result.error).toBeUndefined();
			expect(rowIds(result)).toEqual(expected(other));
			// One 404 to learn the spelling, then every call on /opt/.
			expect(other.requests.filter((r) => r.answer === 'HTTP 404')).toHaveLength(1);
		} finally {
			await other.stop();
		}
	});

	test.each(Object.entries(NXCLOUD_CODES).filter(([code]) => code !== '3'))('code %s fails with its message', async (code, info) => {
		sandbox.inject({ kind: 'status', endpoint: 'flashCalls', status: code, times: 50 });
		const result = await run();
		expect(result.error?.message).toBe(info.message);
	});

	test('code 3 (too many requests) is retried and the result is still exact', async () => {
		sandbox.inject({ kind: 'status', endpoint: 'flashCalls', status: '3', times: 2 });
		const result = await run();
		expect(rowIds(result)).toEqual(expected());
	});

	test('the credential test passes with the right secret and names code 1 with a wrong one', async () => {
		expect(await testCredential('nxCloudApi', credentials(sandbox).nxCloudApi)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const wrong = await testCredential('nxCloudApi', credentials(sandbox, { appSecret: 'nope' }).nxCloudApi);
		expect(wrong).toEqual({ status: 'Error', message: `${NXCLOUD_CODES['1'].message}. ${NXCLOUD_CODES['1'].description}` });
	});
});

describe('Flash Call CDRs: the app secret never leaks', () => {
	const SECRET = 'S3cr3t+/value&more';
	const logged: string[] = [];
	beforeAll(() => {
		const keep = (message: string, meta?: object) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`);
		LoggerProxy.init({ error: keep, warn: keep, info: keep, debug: keep } as never);
	});

	test.each([
		['a wrong secret (code 1)', () => undefined],
		['a reset connection', () => sandbox.inject({ kind: 'reset', endpoint: 'flashCalls', times: 50 })],
		['an HTML page', () => sandbox.inject({ kind: 'html', endpoint: 'flashCalls' })],
		['HTTP 500 for good', () => sandbox.inject({ kind: 'http', httpStatus: 500, endpoint: 'flashCalls', times: 50 })],
		['invalid JSON for good', () => sandbox.inject({ kind: 'invalidJson', endpoint: 'flashCalls', times: 50 })],
	])('not in the error, its description, the output or the log: %s', async (_name, arrange) => {
		arrange();
		const result = await run({}, { credentials: credentials(sandbox, { appSecret: SECRET }), continueOnFail: true });
		const everything = JSON.stringify({ items: result.items, error: result.error, run: result.run.data.resultData, logged });
		expect(result.items[0].json.error).toBeDefined();
		for (const form of [SECRET, encodeURIComponent(SECRET)]) expect(everything).not.toContain(form);
	}, 60_000);
});
