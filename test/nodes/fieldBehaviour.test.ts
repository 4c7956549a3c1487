/**
 * Issue #35 part 2, through the real engine against the sandbox: fields that used to give wrong
 * or no results without a word now send only what was set, say when a Limit left records out,
 * and refuse filter values that cannot match.
 */
import type { INodeProperties } from 'n8n-workflow';

import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import { nodeClasses } from '../engine/packageTypes';
import { PollHarness } from '../engine/poll';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { HANGUP_REASONS } from '../../nodes/CallCenterRecords/codes';

const MIN = 60_000;
const T0 = Date.parse('2025-06-01T08:00:00Z');
const WINDOW = { startTime: '2024-03-01T00:00:00', endTime: '2024-03-03T00:00:00' };
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: 35,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 300, from: '2024-03-01T00:00:00Z', to: '2024-03-02T00:00:00Z' },
		callCenterRecords: { count: 100, from: '2024-03-01T00:00:00Z', to: '2024-03-02T00:00:00Z' },
	});
});
afterAll(async () => {
	jest.restoreAllMocks();
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

const hintsOf = (result: Awaited<ReturnType<typeof runNode>>) => (result.run.data.resultData.runData['Node Under Test']?.[0]?.hints ?? []).map((hint) => hint.message);

describe('fields that send only what the user set', () => {
	test('Call Center Records: adding Agent Group ID without a value sends no voiceGroupId', async () => {
		const filters = nodeClasses.callCenterRecords.description.properties.find((p) => p.name === 'filters')!;
		const groupDefault = (filters.options as INodeProperties[]).find((o) => o.name === 'voiceGroupId')!.default;
		const result = await runNode({
			type: 'callCenterRecords',
			parameters: { operation: 'getMany', ...WINDOW, returnAll: true, filters: { voiceGroupId: groupDefault } },
			credentials: platformCredentials(sandbox),
			timezone: 'UTC',
		});
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		const sent = sandbox.requests.filter((r) => r.endpoint === 'callCenterRecords').map((r) => r.body?.params);
		expect(sent.length).toBeGreaterThan(0);
		expect(sent.every((params) => !('voiceGroupId' in params))).toBe(true);
	});
});

describe('Limit says when the window held more', () => {
	const numberRun = (parameters: Record<string, unknown>) =>
		runNode({ type: 'numberRecords', parameters: { operation: 'getMany', ...WINDOW, ...parameters }, credentials: platformCredentials(sandbox), timezone: 'UTC' });

	test('50 of a window of 300 adds an execution hint with the count and the fix', async () => {
		const result = await numberRun({ returnAll: false, limit: 50 });
		expect(result.items).toHaveLength(50);
		expect(hintsOf(result)).toEqual(['50 of 300 records returned (Limit). Turn on Return All to get every record of the window.']);
	});

	test('no hint when the window holds no more than the Limit, or with Return All', async () => {
		expect(hintsOf(await numberRun({ returnAll: false, limit: 300 }))).toEqual([]);
		expect(hintsOf(await numberRun({ returnAll: true }))).toEqual([]);
	});

	test('a split window whose older parts the Limit left unread: "of at least" the count of the parts read, and no request for the others', async () => {
		const long = await startSandbox({ seed: 37, timeZone: ACCOUNT_TIME_ZONE, callCenterRecords: { count: 300, from: '2024-01-01T00:00:00Z', to: '2024-07-18T00:00:00Z' } });
		try {
			const result = await runNode({
				type: 'callCenterRecords',
				parameters: { operation: 'getMany', startTime: '2024-01-01T00:00:00', endTime: '2024-07-19T00:00:00', returnAll: false, limit: 50 },
				credentials: platformCredentials(long),
				timezone: 'UTC',
			});
			expect(result.items).toHaveLength(50);
			const [hint] = hintsOf(result);
			const counted = Number(/^50 of at least (\d+) records returned \(Limit\)\. Turn on Return All/.exec(hint ?? '')?.[1]);
			expect(counted).toBeGreaterThan(50);
			expect(counted).toBeLessThan(300);
			// 200 days are three parts of at most 93 days: the oldest is never asked for.
			expect(new Set(long.requests.map((r) => r.body?.params.startTime)).size).toBeLessThan(3);
		} finally {
			await long.stop();
		}
	});

	test('Flash Call CDRs, whose API gives no count: a Limit reached says the window may hold more', async () => {
		const flash = await startSandbox({ seed: 36, flashCalls: { count: 120, from: '2024-03-01T00:00:00Z', to: '2024-03-01T12:00:00Z' } });
		try {
			const result = await runNode({
				type: 'flashCallCdrs',
				parameters: { operation: 'getMany', ...WINDOW, returnAll: false, limit: 20 },
				credentials: { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: flash.url, timeZone: 'Asia/Shanghai' } },
				timezone: 'UTC',
			});
			expect(result.items).toHaveLength(20);
			expect(hintsOf(result)).toEqual(['20 records returned (Limit); the window may hold more. Turn on Return All to get every record of the window.']);
		} finally {
			await flash.stop();
		}
	});
});

describe('the trigger\'s hang-up filter', () => {
	let now = T0;
	beforeAll(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
	beforeEach(() => {
		now = T0;
		for (const key of Object.keys(sandbox.stores) as Array<keyof Sandbox['stores']>) sandbox.stores[key] = [];
	});
	const OPTIONS = { lookBackMinutes: 10, settleSeconds: 60 };

	test('version 1, Call Center Records: Only Hang-Up Reasons saved as "busy, 4" matches as Filters → Hang-Up Reasons would (codes 7 and 4)', async () => {
		const trigger = new PollHarness({ source: 'callCenterRecords', options: { ...OPTIONS, onlyHangupReasons: 'busy, 4' } }, platformCredentials(sandbox), 'UTC', 1);
		await trigger.poll();
		const records = sandbox.addRecords('callCenterRecords', 200, T0, T0 + 3 * MIN);
		now = T0 + 5 * MIN;
		const { items, error } = await trigger.poll();
		expect(error).toBeUndefined();
		const want = records.filter((r) => [7, 4].includes(r.wire.hangupReason as number)).map((r) => r.id);
		expect(want.length).toBeGreaterThan(0);
		expect(items.map((i) => String(i.keyId)).sort()).toEqual(want.sort());
	});

	test('version 1, Call Center Records: a saved value that names no documented reason ("user busy, no answer") is an error listing them', async () => {
		const trigger = new PollHarness({ source: 'callCenterRecords', options: { ...OPTIONS, onlyHangupReasons: 'user busy, no answer' } }, platformCredentials(sandbox), 'UTC', 1);
		const { error } = await trigger.poll();
		expect(error?.message).toBe('Options → Only Hang-Up Reasons has an invalid value');
		expect(error?.description).toContain('"user busy" is not one of them');
		for (const [code, label] of Object.entries(HANGUP_REASONS)) expect(error?.description).toContain(`${code} (${label})`);
	});

	test('version 1.1, Number Records: a part of the free text matches, case-blind ("Busy" emits the "user busy" records)', async () => {
		const trigger = new PollHarness({ source: 'numberRecords', options: { ...OPTIONS, onlyHangupReasons: 'Busy' } }, platformCredentials(sandbox), 'UTC', 1.1);
		await trigger.poll();
		const records = sandbox.addRecords('numberRecords', 200, T0, T0 + 3 * MIN);
		now = T0 + 5 * MIN;
		const { items, error } = await trigger.poll();
		expect(error).toBeUndefined();
		const want = records.filter((r) => String(r.wire.hangupReason).includes('busy')).map((r) => r.id);
		expect(want.length).toBeGreaterThan(0);
		expect(items.map((i) => String(i.callid)).sort()).toEqual(want.sort());
	});

	test('Only SIP Codes that are not numbers is an error', async () => {
		const trigger = new PollHarness({ source: 'numberRecords', options: { ...OPTIONS, onlySipCodes: '486, busy' } }, platformCredentials(sandbox), 'UTC', 1.1);
		const { error } = await trigger.poll();
		expect(error?.message).toBe('Options → Only SIP Codes has an invalid value');
		expect(error?.description).toContain('"busy" is not a SIP code');
	});

	test('Fetch Test Event that finds nothing says so, and why that can be', async () => {
		sandbox.addRecords('numberRecords', 40, T0 - 3 * 86_400_000, T0 - MIN);
		const filtered = new PollHarness({ source: 'numberRecords', options: { ...OPTIONS, onlySipCodes: '999' } }, platformCredentials(sandbox), 'UTC', 1.1);
		const { error } = await filtered.poll('manual');
		expect(error?.message).toBe('No number records matched in the last 7 days');
		expect(error?.description).toContain('40 records were read; none matched Options → Only SIP Codes');

		for (const key of Object.keys(sandbox.stores) as Array<keyof Sandbox['stores']>) sandbox.stores[key] = [];
		const empty = new PollHarness({ source: 'numberRecords', options: OPTIONS }, platformCredentials(sandbox), 'UTC', 1.1);
		const none = await empty.poll('manual');
		expect(none.error?.message).toBe('No number records matched in the last 7 days');
		expect(none.error?.description).toContain('The API returned no records');
		expect(none.error?.description).toContain('Account Time Zone');
	});
});
