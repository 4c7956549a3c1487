/**
 * Call Center Records through the real n8n engine against the API sandbox over HTTP.
 */
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { callCenterFilter } from '../sandbox/endpoints/callCenterRecords';
import type { Sandbox } from '../sandbox/server';
import { CALL_CENTER_MAX_WINDOW_DAYS, DEMO_ACCOUNT, startSandbox } from '../sandbox/server';
import { CALL_TYPES, HANGING_DIRECTIONS, HANGUP_REASONS } from '../../nodes/CallCenterRecords/codes';
import { PLATFORM_STATUS } from '../../nodes/transport/platformStatus';
import { signatureHeaders } from '../../nodes/transport/signature';
import { ZoneClock } from '../../nodes/transport/time';
import { DAY_MS } from '../../nodes/transport/windows';

const WORKFLOW_TZ = 'America/New_York';
const clock = new ZoneClock(WORKFLOW_TZ);
const LONG = { startTime: '2024-01-01T00:00:00', endTime: '2024-07-19T00:00:00' }; // 200 days
const SHORT = { startTime: '2024-03-01T00:00:00', endTime: '2024-04-30T00:00:00' };
const ms = (text: string) => clock.parseWall(text)!;

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		seed: 11,
		timeZone: ACCOUNT_TIME_ZONE,
		callCenterRecords: { count: 3_300, from: '2023-12-25T00:00:00Z', to: '2024-07-25T00:00:00Z' },
	});
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

function run(parameters: Record<string, unknown> = {}, extra: Partial<NodeRunOptions> = {}) {
	return runNode({
		type: 'callCenterRecords',
		parameters: { operation: 'getMany', ...SHORT, returnAll: true, ...parameters } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox),
		timezone: WORKFLOW_TZ,
		...extra,
	});
}

const keyIds = (result: Awaited<ReturnType<typeof run>>) => result.items.map((item) => String(item.json.keyId));
const expected = (window: { startTime: string; endTime: string }, params: Record<string, unknown> = {}) => {
	const filter = callCenterFilter(params);
	if (typeof filter === 'string') throw new Error(filter);
	return sandbox.recordsIn('callCenterRecords', ms(window.startTime), ms(window.endTime), filter).map((r) => r.id);
};

describe('Call Center Records: windows', () => {
	test('a 200-day window is split into windows of at most 93 days and returns the exact set', async () => {
		const result = await run({ ...LONG });
		expect(result.error).toBeUndefined();
		const want = expected(LONG);
		expect(want.length).toBeGreaterThan(3_000);
		const got = keyIds(result);
		expect(new Set(got).size).toBe(got.length);
		expect(got).toEqual(want);
		const spans = sandbox.requests.map((r) => {
			const account = new ZoneClock(ACCOUNT_TIME_ZONE);
			return account.parseWall(r.body!.params.endTime)! - account.parseWall(r.body!.params.startTime)!;
		});
		expect(Math.max(...spans)).toBeLessThanOrEqual(CALL_CENTER_MAX_WINDOW_DAYS * DAY_MS);
		expect(new Set(sandbox.requests.map((r) => r.body!.params.startTime)).size).toBe(3);
		expect(sandbox.requests.every((r) => r.answer === 'status 0')).toBe(true);
	});

	test('the window goes out in the sample\'s plain form, in the account\'s time zone', async () => {
		await run({ returnAll: false, limit: 1 });
		// 2024-03-01 00:00 in New York is 13:00 in Shanghai.
		expect(sandbox.requests[0].body!.params).toEqual({ startTime: '2024-03-01 13:00:00', endTime: '2024-04-30 12:00:00' });
		expect(sandbox.requests[0].path).toBe('/v3/cc/record/query');
	});

	test('a record on the boundary second of two windows is returned once', async () => {
		const boundary = ms(LONG.startTime) + 2 * CALL_CENTER_MAX_WINDOW_DAYS * DAY_MS;
		const [added] = sandbox.addRecords('callCenterRecords', 1, boundary, boundary);
		const result = await run({ ...LONG });
		expect(keyIds(result).filter((id) => id === added.id)).toHaveLength(1);
		expect(keyIds(result)).toEqual(expected(LONG));
	});

	test('Limit counts a record on the split instant once: a Limit past the newest window is met exactly', async () => {
		// The windows run 93 days from the start: the newest begins two of them after it.
		const boundary = ms(LONG.startTime) + 2 * CALL_CENTER_MAX_WINDOW_DAYS * DAY_MS;
		const [added] = sandbox.addRecords('callCenterRecords', 1, boundary, boundary);
		const newest = sandbox.recordsIn('callCenterRecords', boundary, ms(LONG.endTime)).length;
		expect(sandbox.recordsIn('callCenterRecords', boundary, boundary).map((r) => r.id)).toContain(added.id);
		for (const k of [1, 2, 150]) {
			const limit = newest + k;
			const result = await run({ ...LONG, returnAll: false, limit });
			expect(result.error).toBeUndefined();
			expect(keyIds(result)).toEqual(expected(LONG).slice(0, limit));
		}
	});

	test('Limit reads the newest window first and stops when it has enough', async () => {
		const result = await run({ ...LONG, returnAll: false, limit: 120 });
		expect(keyIds(result)).toEqual(expected(LONG).slice(0, 120));
		expect(new Set(sandbox.requests.map((r) => r.body!.params.startTime)).size).toBe(1);
	});

	test('the sandbox itself refuses more than 93 days with -76, so the split is what avoids it', async () => {
		const headers = signatureHeaders(DEMO_ACCOUNT.apiKey, DEMO_ACCOUNT.apiSecret, Date.now());
		const response = await fetch(`${sandbox.url}/v3/cc/record/query`, {
			method: 'POST',
			headers: { ...headers, 'Content-Type': 'application/json' },
			body: JSON.stringify({ current: 1, size: 10, params: { startTime: '2024-01-01 00:00:00', endTime: '2024-04-04 00:00:00' } }),
		});
		expect(await response.json()).toMatchObject({ status: -76 });
	});
});

describe('Call Center Records: filters', () => {
	const someRecord = () => sandbox.recordsIn('callCenterRecords', ms(SHORT.startTime), ms(SHORT.endTime))[5].wire;
	test.each([
		['Agent Group ID', { voiceGroupId: 15 }, { voiceGroupId: 15 }],
		['Agent Group Name', { sipGroupName: 'support-apac' }, { sipGroupName: 'support-apac' }],
		['Agent IDs', { seatIds: '101, 103' }, { seatId: [101, 103] }],
		['Agent Names', { seatNames: 'agent-102' }, { seatNameList: ['agent-102'] }],
		['Call Types', { callTypes: [2] }, { callType: [2] }],
		['Hang-up Reasons', { hangupReasons: [7, 8] }, { hangupReason: [7, 8] }],
		['Country Codes', { countryCodes: '+91' }, { ccode: ['91'] }],
		['Hang-up Directions', { hangingDirections: [1] }, { hangingDirection: [1] }],
		['Tag Names', { tagNames: 'vip' }, { labelNames: ['vip'] }],
	])('%s narrows the records to the matching ones', async (_name, filters, params) => {
		const result = await run({ filters });
		const want = expected(SHORT, params);
		expect(want.length).toBeGreaterThan(0);
		expect(want.length).toBeLessThan(expected(SHORT).length);
		expect(keyIds(result)).toEqual(want);
		expect(sandbox.requests[0].body!.params).toMatchObject(params);
	});

	test('Called or Calling Number narrows to that number', async () => {
		const number = String(someRecord().encryptCalled);
		const result = await run({ filters: { calledOrCaller: number } });
		expect(keyIds(result)).toEqual(expected(SHORT, { calledOrCaller: number }));
		expect(result.items.length).toBeGreaterThan(0);
	});

	test.each([
		[{ voiceGroupId: '={{ "abc" }}' }, 'Filters → Agent Group ID has an invalid value'],
		[{ hangupReasons: '={{ [42] }}' }, 'Filters → Hang-Up Reasons has an invalid value'],
		[{ seatIds: 'one, two' }, 'Filters → Agent IDs has an invalid value'],
		[{ countryCodes: 'China' }, 'Filters → Country Codes has an invalid value'],
		[{ tagNames: '={{ { a: 1 } }}' }, 'Filters → Tag Names has an invalid value'],
	])('a filter of the wrong type (%j) fails before any request', async (filters, message) => {
		const result = await run({ filters });
		expect(result.error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Call Center Records: output', () => {
	test('codes gain labels, calledInfo becomes an object, labelName an array, ccode splits, times are ISO', async () => {
		const result = await run({ returnAll: false, limit: 100 });
		const stored = sandbox.recordsIn('callCenterRecords', ms(SHORT.startTime), ms(SHORT.endTime)).slice(0, 100);
		const account = new ZoneClock(ACCOUNT_TIME_ZONE);
		result.items.forEach(({ json }, i) => {
			const wire = stored[i].wire as Record<string, any>;
			expect(json.keyId).toBe(wire.keyId);
			expect(json.hangupReason).toBe(wire.hangupReason);
			expect(json.hangupReasonLabel).toBe(HANGUP_REASONS[wire.hangupReason]);
			expect(json.callTypeLabel).toBe(CALL_TYPES[wire.callType]);
			expect(json.hangingDirectionLabel).toBe(HANGING_DIRECTIONS[wire.hangingDirection]);
			expect(json.calledInfo).toEqual(JSON.parse(wire.calledInfo));
			expect(json.labelName).toEqual(JSON.parse(wire.labelName));
			expect(`${json.countryCode}(${json.countryName})`).toBe(wire.ccode);
			expect(json.callStartTime).toBe(clock.toIso(account.parseWall(wire.callStartTime)!));
			expect(json.calledAnswerTime).toBe(wire.calledAnswerTime === null ? null : clock.toIso(account.parseWall(wire.calledAnswerTime)!));
		});
		expect(result.items.some((i) => (i.json.labelName as string[]).length > 0)).toBe(true);
	});

	test('Raw Output returns the records exactly as sent', async () => {
		const result = await run({ returnAll: false, limit: 30, options: { rawOutput: true } });
		const stored = sandbox.recordsIn('callCenterRecords', ms(SHORT.startTime), ms(SHORT.endTime)).slice(0, 30);
		expect(result.items.map((i) => i.json)).toEqual(stored.map((r) => r.wire));
	});

	test.each(['-20', '-23', '-76'])('status %s (sent as a number) fails with its message', async (status) => {
		sandbox.inject({ kind: 'status', status: Number(status), reason: `reason ${status}` });
		const result = await run();
		expect(result.error?.message).toBe(PLATFORM_STATUS[status].message);
		expect(result.error?.description).toContain(`reason ${status}`);
	});
});
