/**
 * Number Records through the real n8n engine against the API sandbox over HTTP.
 */
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { ACCOUNT_TIME_ZONE, numberRecordsSandbox, platformCredentials } from '../engine/fixtures';
import { ZoneClock } from '../../nodes/transport/time';
import { PLATFORM_STATUS } from '../../nodes/transport/platformStatus';
import { computeSign } from '../../nodes/transport/signature';
import type { Sandbox } from '../sandbox/server';

const WINDOW = { startTime: '2024-03-01T00:00:00', endTime: '2024-03-08T00:00:00' };
const WORKFLOW_TZ = 'Europe/Berlin';
const windowMs = () => ({
	from: new ZoneClock(WORKFLOW_TZ).parseWall('2024-03-01T00:00:00')!,
	to: new ZoneClock(WORKFLOW_TZ).parseWall('2024-03-08T00:00:00')!,
});

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await numberRecordsSandbox(2_600);
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => {
	sandbox.reset();
});

function run(parameters: Record<string, unknown> = {}, extra: Partial<NodeRunOptions> = {}) {
	return runNode({
		type: 'numberRecords',
		parameters: { operation: 'getMany', ...WINDOW, returnAll: true, ...parameters } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox),
		timezone: WORKFLOW_TZ,
		...extra,
	});
}

function expectedIds(): string[] {
	const { from, to } = windowMs();
	return sandbox.recordsIn('numberRecords', from, to).map((r) => r.id);
}

const ids = (result: Awaited<ReturnType<typeof run>>) => result.items.map((item) => item.json.callid);

describe('Number Records: the window on the wire', () => {
	test('a workflow in UTC sends +00:00 as the documents write it, never Z (the sandbox, like a strict server, refuses Z)', async () => {
		const result = await run({ returnAll: false, limit: 5 }, { timezone: 'UTC' });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(sandbox.requests[0].body!.params).toEqual({ strTime: '2024-03-01T00:00:00+00:00', endTime: '2024-03-08T00:00:00+00:00' });
	});
});

describe('Number Records: paging', () => {
	test('Return All over 2,600 records returns exactly the sandbox set, in API order', async () => {
		const result = await run();
		expect(result.error).toBeUndefined();
		const expected = expectedIds();
		expect(expected.length).toBeGreaterThan(2_500);
		expect(ids(result)).toEqual(expected);
		// 100 per page, every page asked once, each request signed with its own headers.
		const pages = sandbox.requests.map((r) => r.body?.current).sort((a, b) => a - b);
		expect(pages).toEqual(Array.from({ length: Math.ceil(expected.length / 100) }, (_, i) => i + 1));
		expect(sandbox.requests.every((r) => r.body?.size === 100)).toBe(true);
		expect(sandbox.requests.every((r) => r.headers.sign === computeSign(r.headers['api-key']!, 'demo-api-secret', r.headers.timestamp!))).toBe(true);
		// The credential is read once for the item, not again (in n8n: from its database) per page.
		expect(result.credentialReads).toBe(1);
	});

	test('the window is sent as ISO 8601 with the workflow time zone offset', async () => {
		await run({}, { parameters: { operation: 'getMany', ...WINDOW, returnAll: false, limit: 1 } });
		expect(sandbox.requests[0].body?.params).toEqual({ strTime: '2024-03-01T00:00:00+01:00', endTime: '2024-03-08T00:00:00+01:00' });
		expect(sandbox.requests[0].path).toBe('/number/record/queryPage');
	});

	test('pages are fetched in parallel up to Max Parallel Requests', async () => {
		sandbox.latencyMs = 30;
		const result = await run({ options: { maxParallelRequests: 6 } });
		expect(ids(result)).toEqual(expectedIds());
		expect(sandbox.maxInFlight).toBe(6);
	});

	test('Limit fetches only the pages it needs with size min(limit, 100)', async () => {
		const small = await run({ returnAll: false, limit: 30 });
		expect(ids(small)).toEqual(expectedIds().slice(0, 30));
		expect(sandbox.requests.map((r) => [r.body?.current, r.body?.size])).toEqual([[1, 30]]);

		sandbox.reset();
		const large = await run({ returnAll: false, limit: 250 });
		expect(ids(large)).toEqual(expectedIds().slice(0, 250));
		expect(sandbox.requests.map((r) => r.body?.current).sort()).toEqual([1, 2, 3]);
	});

	test('records filed while pages are read are neither lost nor repeated', async () => {
		const { from, to } = windowMs();
		sandbox.insertDuringPaging({ endpoint: 'numberRecords', afterRequests: 5, count: 7, fromMs: from, toMs: to });
		const result = await run({ options: { maxParallelRequests: 2 } });
		const got = ids(result);
		expect(new Set(got).size).toBe(got.length);
		expect([...got].sort()).toEqual([...expectedIds()].sort());
	});
});

describe('Number Records: output', () => {
	test('numbers are numbers, times ISO 8601 in the workflow zone, the call source labelled', async () => {
		const result = await run({ returnAll: false, limit: 100 });
		const { from, to } = windowMs();
		const stored = sandbox.recordsIn('numberRecords', from, to).slice(0, 100);
		const account = new ZoneClock(ACCOUNT_TIME_ZONE);
		const out = new ZoneClock(WORKFLOW_TZ);
		result.items.forEach((item, i) => {
			const wire = stored[i].wire;
			expect(item.json.callid).toBe(wire.callid);
			expect(item.json.pay).toBe(Number(wire.pay));
			expect(typeof item.json.callDuration).toBe('number');
			expect(item.json.startTime).toBe(out.toIso(account.parseWall(String(wire.startTime))!));
			expect(item.json.startTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+01:00$/);
			expect(item.json.callSourceLabel).toBe(wire.callSource === 2 ? 'Incoming' : 'Outgoing');
			expect(item.json.callSource).toBe(wire.callSource);
			expect(item.pairedItem).toEqual({ item: 0 });
		});
	});

	test('Raw Output returns the records exactly as the API sent them', async () => {
		const result = await run({ returnAll: false, limit: 40, options: { rawOutput: true } });
		const { from, to } = windowMs();
		expect(result.items.map((i) => i.json)).toEqual(sandbox.recordsIn('numberRecords', from, to).slice(0, 40).map((r) => sandbox.asSent(r)));
	});

	test('a record with a field named "json" comes through whole, shaped and raw', async () => {
		const { from, to } = windowMs();
		const original = sandbox.stores.numberRecords;
		const target = sandbox.recordsIn('numberRecords', from, to)[3];
		sandbox.stores.numberRecords = original.map((r) => (r === target ? { ...r, wire: { ...r.wire, json: { note: 'sent by the provider' } } } : r));
		try {
			for (const rawOutput of [false, true]) {
				const result = await run({ returnAll: false, limit: 10, options: { rawOutput } });
				expect(result.items[3].json.callid).toBe(target.id);
				expect(result.items[3].json.json).toEqual({ note: 'sent by the provider' });
				expect(result.items[3].pairedItem).toEqual({ item: 0 });
			}
		} finally {
			sandbox.stores.numberRecords = original;
		}
	});

	test.each([
		['a price that is not a number', { pay: 'n/a' }, 'pay', /"n\/a"|expected a number/],
		['a start time that is not a date-time', { startTime: '2024-13-45 99:00:00' }, 'startTime', /is not a date-time/],
		['no record id', { callid: null }, 'callid', /is missing/],
	] as Array<[string, Record<string, unknown>, string, RegExp]>)('%s fails the run, naming the field, the record and the way out', async (_name, change, field, reason) => {
		const { from, to } = windowMs();
		const original = sandbox.stores.numberRecords;
		const target = sandbox.recordsIn('numberRecords', from, to)[150];
		sandbox.stores.numberRecords = original.map((r) => (r === target ? { ...r, wire: { ...r.wire, ...change } } : r));
		try {
			const result = await run();
			expect(result.items).toHaveLength(0);
			expect(result.error?.message).toBe(`The API sent a record with an unreadable "${field}"`);
			expect(result.error?.description).toMatch(reason);
			expect(result.error?.description).toContain('Turn on Raw Output');
			if (field !== 'callid') expect(result.error?.description).toContain(`callid "${target.id}"`);
			// Raw Output is the way out: the same read succeeds with the record as sent.
			const raw = await run({ options: { rawOutput: true } });
			expect(raw.error).toBeUndefined();
			expect(raw.items.find((i) => i.json.callid === (change.callid === null ? null : target.id))?.json).toMatchObject(change);
		} finally {
			sandbox.stores.numberRecords = original;
		}
	});

	test('Laaffic (/v3 path) currency fields come out as numbers with consistent names', async () => {
		const result = await run({ returnAll: false, limit: 100 }, { credentials: platformCredentials(sandbox, { pathStyle: 'v3' }) });
		expect(sandbox.requests[0].path).toBe('/v3/number/record/queryPage');
		const { from, to } = windowMs();
		const stored = sandbox.recordsIn('numberRecords', from, to).slice(0, 100);
		const eur = result.items.findIndex((item) => item.json.currency === 'EUR');
		const usd = result.items.findIndex((item) => item.json.currency === 'USD');
		expect(eur).toBeGreaterThanOrEqual(0);
		expect(result.items[eur].json.settlePay).toBe(Number(stored[eur].extra!.SettlePay));
		expect(result.items[eur].json.quoteExchange).toBe(0.938);
		expect(result.items[eur].json.settleRate).toBe(Number(stored[eur].extra!.SeptleRate));
		expect(result.items[usd].json.settlePay).toBeNull();
		expect(result.items[eur].json).not.toHaveProperty('SettlePay');
	});
});

describe('Number Records: provider statuses and faults', () => {
	test.each(Object.entries(PLATFORM_STATUS).filter(([status]) => status !== '-16' && status !== '-18'))(
		'status %s fails with its own message',
		async (status, info) => {
			sandbox.inject({ kind: 'status', status, reason: `reason for ${status}`, times: 10 });
			const result = await run();
			expect(result.error?.message).toBe(info.message);
			expect(result.error?.description).toContain(info.description);
			expect(result.error?.description).toContain(`reason for ${status}`);
			expect(sandbox.requests).toHaveLength(1); // not retried
		},
	);

	test('a skewed clock (-16) is retried once with a fresh signature, then reported with the fix', async () => {
		sandbox.clockSkewSeconds = 600;
		const result = await run();
		expect(result.error?.message).toBe(PLATFORM_STATUS['-16'].message);
		expect(result.error?.description).toMatch(/clock/);
		expect(sandbox.requests).toHaveLength(2);
	});

	test('persistent -18 is retried a bounded number of times, then reported', async () => {
		sandbox.inject({ kind: 'status', status: '-18', times: 100 });
		const result = await run({ returnAll: false, limit: 5 });
		expect(result.error?.message).toBe(PLATFORM_STATUS['-18'].message);
		expect(sandbox.requests).toHaveLength(6);
	}, 30_000);

	test('a wrong API secret is -1 with a message about the key and secret', async () => {
		const result = await run({}, { credentials: platformCredentials(sandbox, { apiSecret: 'wrong' }) });
		expect(result.error?.message).toBe(PLATFORM_STATUS['-1'].message);
		expect(result.error?.description).toMatch(/API Key and API Secret/);
	});

	test.each([
		['HTTP 500', { kind: 'http', httpStatus: 500 }],
		['HTTP 502', { kind: 'http', httpStatus: 502 }],
		['HTTP 503', { kind: 'http', httpStatus: 503 }],
		['HTTP 429 with Retry-After', { kind: 'http', httpStatus: 429, retryAfter: '1' }],
		['a reset connection', { kind: 'reset' }],
		['status -18', { kind: 'status', status: '-18' }],
		['status -16 once', { kind: 'status', status: '-16' }],
		['a truncated body', { kind: 'truncated' }],
		['invalid JSON', { kind: 'invalidJson' }],
	] as const)('%s on some pages is retried and the result is still exact', async (_name, fault) => {
		for (const page of [1, 4, 17]) sandbox.inject({ ...fault, page, endpoint: 'numberRecords' });
		const result = await run();
		expect(result.error).toBeUndefined();
		expect(ids(result)).toEqual(expectedIds());
		// Every page once, plus one retry for each injected fault.
		expect(sandbox.requests.length).toBe(Math.ceil(expectedIds().length / 100) + 3);
	});

	test('an HTML page instead of JSON fails at once with a hint about the address', async () => {
		sandbox.inject({ kind: 'html', page: 2 });
		const result = await run();
		expect(result.error?.message).toBe('The API answered with an HTML page instead of JSON');
		expect(result.error?.description).toMatch(/Base URL/);
	});

	test('HTTP 404 (wrong base URL) fails with a hint about the platform', async () => {
		const result = await run({}, { credentials: platformCredentials(sandbox, { baseUrl: `${sandbox.url}/nope` }) });
		expect(result.error?.message).toBe('The API answered HTTP 404');
		expect(result.error?.description).toMatch(/Platform/);
		expect(result.error?.description).toMatch(/Base URL/);
	});
});

describe('Number Records: input and Continue On Fail', () => {
	test.each([
		[{ endTime: '2024-02-01T00:00:00' }, 'End Time must be after Start Time'],
		[{ startTime: 'yesterday' }, 'Start Time "yesterday" is not a date and time'],
		[{ returnAll: false, limit: 0 }, 'Limit must be a whole number of at least 1'],
		[{ options: { maxParallelRequests: 99 } }, 'Max Parallel Requests must be a whole number from 1 to 32'],
	])('bad input %j fails before any request: %s', async (parameters, message) => {
		const result = await run(parameters);
		expect(result.error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	test.each([
		[{ apiKey: '' }, 'Call Records API credential: API Key is empty'],
		[{ baseUrl: 'not a url' }, 'Call Records API credential: Base URL "not a url" is not a valid http(s) address'],
		[{ timeZone: 'Mars/Olympus' }, 'Call Records API credential: Account Time Zone "Mars/Olympus" is not a time zone'],
	])('bad credential %j fails before any request: %s', async (overrides, message) => {
		const result = await run({}, { credentials: platformCredentials(sandbox, overrides) });
		expect(result.error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('Continue On Fail turns a failed item into an error item and goes on with the next', async () => {
		const result = await run(
			{ startTime: '={{ $json.start }}', endTime: '={{ $json.end }}', returnAll: false, limit: 3 },
			{
				continueOnFail: true,
				input: [
					{ start: '2024-03-05T00:00:00', end: '2024-03-01T00:00:00' },
					{ start: '2024-03-01T00:00:00', end: '2024-03-08T00:00:00' },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(result.items[0].json.error).toBe('End Time must be after Start Time');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items.slice(1).map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 1 }, { item: 1 }]);
		expect(result.items.slice(1).map((i) => i.json.callid)).toEqual(expectedIds().slice(0, 3));
	});

	test('without Continue On Fail the first failing item stops the node', async () => {
		const result = await run(
			{ startTime: '={{ $json.start }}', endTime: '={{ $json.end }}', returnAll: false, limit: 3 },
			{ input: [{ start: '2024-03-01T00:00:00', end: '2024-03-08T00:00:00' }, { start: 'x', end: 'y' }] },
		);
		expect(result.error?.message).toBe('Start Time "x" is not a date and time');
	});
});
