/**
 * Summarize in the four record nodes, through the real n8n engine against the API sandbox over
 * HTTP: the figures for every record kind and every Group By dimension equal a direct
 * computation over the sandbox's own records (test/sandbox/truth.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { EndpointName, Sandbox } from '../sandbox/server';
import { CALL_CENTER_MAX_WINDOW_DAYS, startSandbox } from '../sandbox/server';
import { VOICE_MAX_WINDOW_DAYS } from '../sandbox/endpoints/voiceRecords';
import { KIND_DIMENSIONS, truth } from '../sandbox/truth';
import { earliestVoiceStartMs } from '../../nodes/VoiceRecords/listing';
import { DAY_MS } from '../../nodes/transport/windows';

const WORKFLOW_TZ = 'America/New_York';
const HOUR = 3_600_000;
const NODE_TYPES: Record<EndpointName, string> = {
	numberRecords: 'numberRecords',
	callCenterRecords: 'callCenterRecords',
	voiceRecords: 'voiceRecords',
	flashCalls: 'flashCallCdrs',
};

let sandbox: Sandbox;
const windows = {} as Record<EndpointName, { startMs: number; endMs: number }>;

beforeAll(async () => {
	const voiceStart = Math.ceil((earliestVoiceStartMs(Date.now()) + HOUR) / 1000) * 1000;
	windows.numberRecords = { startMs: Date.parse('2024-03-01T00:00:00Z'), endMs: Date.parse('2024-03-08T00:00:00Z') };
	// 200 days: three windows of at most 93 days.
	windows.callCenterRecords = { startMs: Date.parse('2024-01-01T00:00:00Z'), endMs: Date.parse('2024-07-19T00:00:00Z') };
	// 45 days: two windows of at most 31 days.
	windows.voiceRecords = { startMs: voiceStart, endMs: voiceStart + 45 * DAY_MS };
	windows.flashCalls = { startMs: Date.parse('2024-04-30T16:00:00Z'), endMs: Date.parse('2024-05-01T16:00:00Z') };
	const around = (w: { startMs: number; endMs: number }) => ({ from: new Date(w.startMs - DAY_MS).toISOString(), to: new Date(w.endMs + DAY_MS).toISOString() });
	sandbox = await startSandbox({
		seed: 27,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 2_500, ...around(windows.numberRecords) },
		callCenterRecords: { count: 2_500, ...around(windows.callCenterRecords) },
		voiceRecords: { count: 2_000, ...around(windows.voiceRecords) },
		// A 15-second grid: most seconds with calls hold several, and shards share busy seconds.
		flashCalls: { count: 7_000, ...around(windows.flashCalls), granularityMs: 15_000 },
	});
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

function credentials(endpoint: EndpointName) {
	if (endpoint === 'flashCalls') {
		return { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: ACCOUNT_TIME_ZONE } };
	}
	// The /v3 path: number records then carry Laaffic's currency fields (EUR beside USD).
	return platformCredentials(sandbox, { pathStyle: 'v3' });
}

const iso = (ms: number) => new Date(ms).toISOString();

function summarize(endpoint: EndpointName, parameters: IDataObject = {}, window = windows[endpoint]) {
	return runNode({
		type: NODE_TYPES[endpoint],
		parameters: { operation: 'summarize', startTime: iso(window.startMs), endTime: iso(window.endMs), ...parameters } as NodeRunOptions['parameters'],
		credentials: credentials(endpoint),
		timezone: WORKFLOW_TZ,
	});
}

/** The records a query for the window covers, as the endpoint sends them. */
function sent(endpoint: EndpointName, window = windows[endpoint]) {
	return sandbox.recordsIn(endpoint, window.startMs, window.endMs).map((r) => (endpoint === 'numberRecords' ? { ...r.wire, ...r.extra } : r.wire));
}

function expected(endpoint: EndpointName, groupBy: string[], window = windows[endpoint]) {
	const want = truth({ endpoint, records: sent(endpoint, window), accountTimeZone: ACCOUNT_TIME_ZONE, workflowTimeZone: WORKFLOW_TZ, groupBy });
	return [...want.groups, want.totals];
}

/** The node's items without the totals' description of the window. */
function figuresOf(items: Array<{ json: IDataObject }>) {
	return items.map(({ json }) => {
		const { windowStart, windowEnd, groupBy, ...rest } = json;
		return rest;
	});
}

const cases = (Object.keys(KIND_DIMENSIONS) as EndpointName[]).flatMap((endpoint) => [
	[endpoint, [] as string[]] as const,
	...KIND_DIMENSIONS[endpoint].map((dimension) => [endpoint, [dimension]] as const),
	[endpoint, KIND_DIMENSIONS[endpoint].slice(0, 2)] as const,
]);

describe('Summarize: the figures equal a direct computation over the sandbox records', () => {
	test.each(cases)('%s by %j', async (endpoint, groupBy) => {
		const result = await summarize(endpoint, { groupBy: [...groupBy] });
		expect(result.error).toBeUndefined();
		const want = expected(endpoint, [...groupBy]);
		expect(want[want.length - 1].calls).toBeGreaterThan(1_000);
		expect(figuresOf(result.items)).toEqual(want);
		const totals = result.items[result.items.length - 1].json;
		// The window in the workflow's time zone (New York: -05:00 or -04:00).
		expect(totals.windowStart).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$/);
		expect(Date.parse(String(totals.windowStart))).toBe(windows[endpoint].startMs);
		expect(Date.parse(String(totals.windowEnd))).toBe(windows[endpoint].endMs);
		expect(totals.groupBy).toEqual(groupBy);
	});
});

describe('Summarize: windows split to the API limits', () => {
	test.each([
		['callCenterRecords', CALL_CENTER_MAX_WINDOW_DAYS],
		['voiceRecords', VOICE_MAX_WINDOW_DAYS],
	] as const)('%s: a record on the boundary second of two windows is counted once', async (endpoint, maxDays) => {
		const boundary = windows[endpoint].startMs + maxDays * DAY_MS;
		const [added] = sandbox.addRecords(endpoint, 1, boundary, boundary);
		const result = await summarize(endpoint, { groupBy: ['day'] });
		expect(result.error).toBeUndefined();
		// Both windows were asked for that second, so both served the record.
		const asked = sandbox.windows.filter((w) => w.endpoint === endpoint && w.fromMs <= added.startMs && added.startMs <= w.toMs);
		expect(new Set(asked.map((w) => `${w.fromMs}-${w.toMs}`)).size).toBe(2);
		const want = expected(endpoint, ['day']);
		expect(figuresOf(result.items)).toEqual(want);
		const totals = result.items[result.items.length - 1].json;
		expect(totals.calls).toBe(sent(endpoint).length);
		expect(sent(endpoint).filter((r) => r === added.wire)).toHaveLength(1);
	});
});

describe('Summarize: currencies', () => {
	test('costs are summed per currency, never across: number records in USD and EUR', async () => {
		const result = await summarize('numberRecords', { groupBy: ['currency'] });
		expect(result.error).toBeUndefined();
		const groups = result.items.filter((item) => item.json.row === 'group').map((item) => item.json);
		expect(groups.map((g) => g.currency).sort()).toEqual(['EUR', 'USD']);
		for (const group of groups) expect(Object.keys(group.cost as IDataObject)).toEqual([group.currency]);
		const totals = result.items[result.items.length - 1].json;
		expect(Object.keys(totals.cost as IDataObject)).toEqual(['EUR', 'USD']);
		expect(figuresOf(result.items)).toEqual(expected('numberRecords', ['currency']));
	});
});

describe('Summarize: output and labels', () => {
	test('Single Item holds the totals and the groups; coded keys carry their documented labels', async () => {
		const result = await summarize('callCenterRecords', { groupBy: ['hangupReason', 'sipCode'], options: { output: 'single' } });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const { totals, groups, groupCount } = result.items[0].json as { totals: IDataObject; groups: IDataObject[]; groupCount: number };
		const want = expected('callCenterRecords', ['hangupReason', 'sipCode']);
		const { row, groupCount: wantCount, ...wantTotals } = want[want.length - 1];
		expect(totals).toEqual(wantTotals);
		expect(groupCount).toBe(wantCount);
		expect(groups.map((g) => ({ row: 'group', ...g }))).toEqual(want.slice(0, -1));
		expect(row).toBe('totals');
		const busy = groups.find((g) => g.hangupReason === 7 && g.sipCode === '486');
		expect(busy).toMatchObject({ hangupReasonLabel: 'Called party is busy', sipCodeLabel: 'Busy Here' });
		expect(typeof busy!.asr).toBe('number');
		expect(String(busy!.asr).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(4);
	});

	test('a workflow saved without Operation still runs Get Many', async () => {
		const window = windows.numberRecords;
		const result = await runNode({
			type: 'numberRecords',
			parameters: { startTime: iso(window.startMs), endTime: iso(window.endMs), returnAll: true },
			credentials: credentials('numberRecords'),
			timezone: WORKFLOW_TZ,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.callid)).toEqual(sandbox.recordsIn('numberRecords', window.startMs, window.endMs).map((r) => r.id));
	});
});

describe('Summarize: bad input fails before any request', () => {
	test.each([
		['an unknown dimension from an expression', { groupBy: '={{ ["agent", "weekday"] }}' }, 'Group By "weekday" is not a dimension of Call Center Records'],
		['a dimension the kind does not have', { groupBy: ['currency'] }, 'Group By "currency" is not a dimension of Call Center Records'],
		['three dimensions', { groupBy: ['agent', 'agentGroup', 'callType'] }, 'Group By has 3 dimensions; at most 2 are allowed'],
		['a dimension twice', { groupBy: '={{ "agent, agent" }}' }, 'Group By names a dimension twice'],
		['an unknown Output', { options: { output: 'table' } }, 'Options → Output "table" is not an output'],
	])('%s', async (_, parameters, message) => {
		const result = await summarize('callCenterRecords', parameters as IDataObject);
		expect(result.error?.message).toBe(message);
		if (message.startsWith('Group By')) {
			expect(result.error?.description).toContain('hangupReason (Hang-Up Reason), sipCode (SIP Code), country (Country), agent (Agent), agentGroup (Agent Group), callType (Call Type), hangupDirection (Hang-Up Direction), hour (Hour), day (Day)');
		}
		expect(sandbox.requests).toHaveLength(0);
	});
});
