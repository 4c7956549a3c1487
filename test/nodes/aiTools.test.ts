/**
 * The nodes as AI tools, through the real n8n engine against the sandbox: each runs as the
 * `<name>Tool` type n8n generates, its fields filled by $fromAI from the model's arguments (the
 * input item, as n8n hands them to a tool), and answers one object sized for a model. The same
 * parameters on the plain node still give one item per record. The AI Agent and MCP around it
 * are proven by the e2e (test/e2e/agent.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { callCenterFilter } from '../sandbox/endpoints/callCenterRecords';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { earliestVoiceStartMs } from '../../nodes/VoiceRecords/listing';
import { DEFAULT_MAX_ANSWER_CHARACTERS } from '../../nodes/shared/toolAnswer';
import { ZoneClock } from '../../nodes/transport/time';
import { DAY_MS } from '../../nodes/transport/windows';

const WORKFLOW_TZ = 'America/New_York';
const DAYS_3 = { startTime: '2024-03-04T00:00:00-05:00', endTime: '2024-03-07T00:00:00-05:00' };
const fromAi = (key: string, type = 'string') => `={{ $fromAI('${key}', '', '${type}') }}`;
const WINDOW_FROM_AI = { startTime: fromAi('startTime'), endTime: fromAi('endTime') };

let sandbox: Sandbox;
let flash: Sandbox;
let voice: Sandbox;
beforeAll(async () => {
	[sandbox, flash, voice] = await Promise.all([
		startSandbox({
			seed: 11,
			timeZone: ACCOUNT_TIME_ZONE,
			callCenterRecords: { count: 3_300, from: '2023-12-25T00:00:00Z', to: '2024-07-25T00:00:00Z' },
		}),
		startSandbox({ seed: 3, timeZone: 'Asia/Shanghai', flashCalls: { count: 400, from: '2024-04-30T16:00:00Z', to: '2024-05-01T16:00:00Z' } }),
		startSandbox({
			seed: 5,
			timeZone: ACCOUNT_TIME_ZONE,
			voiceRecords: { count: 50, from: new Date(Date.now() - 30 * DAY_MS).toISOString(), to: new Date().toISOString() },
		}),
	]);
});
afterAll(async () => {
	await Promise.all([sandbox.stop(), flash.stop(), voice.stop()]);
});
beforeEach(() => {
	sandbox.reset();
	flash.reset();
});

/** A call of the Call Center Records tool: `args` are the model's arguments. */
function callCenterTool(args: IDataObject, parameters: Record<string, unknown> = {}, extra: Partial<NodeRunOptions> = {}) {
	return runNode({
		type: 'callCenterRecordsTool',
		parameters: { operation: 'getMany', ...WINDOW_FROM_AI, ...parameters } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox),
		timezone: WORKFLOW_TZ,
		input: [args],
		...extra,
	});
}

const answerOf = (result: Awaited<ReturnType<typeof runNode>>) => {
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(1);
	return result.items[0].json as IDataObject & { records: IDataObject[] };
};
const idsIn = (window: { startTime: string; endTime: string }, params: Record<string, unknown> = {}) => {
	const filter = callCenterFilter(params);
	if (typeof filter === 'string') throw new Error(filter);
	return sandbox.recordsIn('callCenterRecords', Date.parse(window.startTime), Date.parse(window.endTime), filter).map((r) => r.id);
};

describe('the answer a model receives', () => {
	test('a window that fits: every record, complete, with the count', async () => {
		const window = { startTime: '2024-03-04T00:00:00Z', endTime: '2024-03-04T06:00:00Z' };
		const want = idsIn(window);
		expect(want.length).toBeGreaterThan(0);
		expect(want.length).toBeLessThan(15);
		const answer = answerOf(await callCenterTool(window, { returnAll: true }));
		expect(answer.records.map((r) => String(r.keyId))).toEqual(want);
		expect(answer).toMatchObject({ complete: true, recordsInWindow: want.length, returned: want.length, window: { start: '2024-03-03T19:00:00-05:00', end: '2024-03-04T01:00:00-05:00' } });
		expect(answer.note).toBe(`Complete: all ${want.length} call center records of the window.`);
	});

	test('a window larger than the cap: whole records up to the cap, the window count, and how to get the rest', async () => {
		const want = idsIn(DAYS_3);
		expect(want.length).toBeGreaterThan(20);
		const result = await callCenterTool(DAYS_3, { returnAll: true });
		const answer = answerOf(result);
		expect(JSON.stringify(answer).length).toBeLessThanOrEqual(DEFAULT_MAX_ANSWER_CHARACTERS);
		expect(answer.complete).toBe(false);
		expect(answer.recordsInWindow).toBe(want.length);
		expect(answer.returned).toBe(answer.records.length);
		expect(answer.records.length).toBeGreaterThan(5);
		expect(answer.records.length).toBeLessThan(want.length);
		expect(answer.records.map((r) => String(r.keyId))).toEqual(want.slice(0, answer.records.length));
		const last = answer.records[answer.records.length - 1];
		expect(answer.note).toContain(`Partial: the ${answer.returned} newest call center records of the ${want.length} in the window`);
		expect(answer.note).toContain(`size cap of ${DEFAULT_MAX_ANSWER_CHARACTERS} characters`);
		expect(answer.note).toContain(`endTime ${String(last.callStartTime)}`);
	});

	test('the records are the plain node\'s items, unchanged; the plain node still gives one item per record', async () => {
		const window = { startTime: '2024-03-04T00:00:00Z', endTime: '2024-03-04T12:00:00Z' };
		const plain = await runNode({
			type: 'callCenterRecords',
			parameters: { operation: 'getMany', ...window, returnAll: true },
			credentials: platformCredentials(sandbox),
			timezone: WORKFLOW_TZ,
		});
		expect(plain.items.map((item) => String(item.json.keyId))).toEqual(idsIn(window));
		expect(plain.items[0].json).not.toHaveProperty('records');
		const answer = answerOf(await callCenterTool(window, { returnAll: true, maxAnswerCharacters: 1_000_000 }));
		expect(answer.complete).toBe(true);
		expect(answer.records).toEqual(plain.items.map((item) => item.json));
	});

	test('with a Limit, the count is the API\'s for the window, and Max Answer Size sets the cap', async () => {
		const want = idsIn(DAYS_3);
		const answer = answerOf(await callCenterTool(DAYS_3, { returnAll: false, limit: 10, maxAnswerCharacters: 100_000 }));
		expect(answer).toMatchObject({ complete: false, recordsInWindow: want.length, returned: 10 });
		expect(answer.records.map((r) => String(r.keyId))).toEqual(want.slice(0, 10));
		expect(answer.note).toContain('the Limit of 10 was reached');
		const small = answerOf(await callCenterTool(DAYS_3, { returnAll: false, limit: 10, maxAnswerCharacters: 3_000 }));
		expect(JSON.stringify(small).length).toBeLessThanOrEqual(3_000);
		expect(small.returned).toBeLessThan(10);
	});

	test('a window split into 93-day requests under a Limit: the windows left unread are counted too', async () => {
		const long = { startTime: '2024-01-01T00:00:00Z', endTime: '2024-07-19T00:00:00Z' };
		const want = idsIn(long);
		const answer = answerOf(await callCenterTool(long, { returnAll: false, limit: 5 }));
		expect(answer).toMatchObject({ complete: false, recordsInWindow: want.length, returned: 5 });
		expect(answer.records.map((r) => String(r.keyId))).toEqual(want.slice(0, 5));
	});

	test('under a Limit, records on the second two split windows share are counted once in recordsInWindow', async () => {
		const long = { startTime: '2024-01-01T00:00:00Z', endTime: '2024-07-19T00:00:00Z' };
		const boundary = Date.parse(long.startTime) + 93 * DAY_MS;
		const added = sandbox.addRecords('callCenterRecords', 3, boundary, boundary);
		try {
			const want = idsIn(long);
			const answer = answerOf(await callCenterTool(long, { returnAll: false, limit: 5 }));
			expect(answer).toMatchObject({ complete: false, recordsInWindow: want.length, returned: 5 });
		} finally {
			sandbox.stores.callCenterRecords = sandbox.stores.callCenterRecords.filter((r) => !added.includes(r));
		}
	});

	test('voice records (ISO 8601 windows) under a Limit: a record on the shared second is counted once', async () => {
		const startMs = Math.floor((Date.now() - 40 * DAY_MS) / 1000) * 1000;
		const boundary = startMs + 31 * DAY_MS;
		const [added] = voice.addRecords('voiceRecords', 1, boundary, boundary);
		try {
			const want = voice.recordsIn('voiceRecords', startMs, Date.now()).length;
			const result = await runNode({
				type: 'voiceRecordsTool',
				parameters: { operation: 'getMany', ...WINDOW_FROM_AI, returnAll: false, limit: 3 },
				credentials: platformCredentials(voice),
				timezone: 'UTC',
				input: [{ startTime: new Date(startMs).toISOString(), endTime: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString() }],
			});
			expect(answerOf(result)).toMatchObject({ complete: false, recordsInWindow: want, returned: 3 });
		} finally {
			voice.stores.voiceRecords = voice.stores.voiceRecords.filter((r) => r !== added);
		}
	});

	test('NXCloud gives no count: a Limit reached says the window may hold more; Return All is complete', async () => {
		const args = { startTime: '2024-05-01T00:00:00+08:00', endTime: '2024-05-01T06:00:00+08:00' };
		// The sandbox keeps records newest first; NXCloud lists them oldest first.
		const want = flash.recordsIn('flashCalls', Date.parse(args.startTime), Date.parse(args.endTime)).reverse().map((r) => r.id);
		expect(want.length).toBeGreaterThan(20);
		const run = (parameters: Record<string, unknown>) =>
			runNode({
				type: 'flashCallCdrsTool',
				parameters: { operation: 'getMany', ...WINDOW_FROM_AI, ...parameters } as NodeRunOptions['parameters'],
				credentials: { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: flash.url, timeZone: 'Asia/Shanghai' } },
				timezone: 'UTC',
				input: [args],
			});
		const limited = answerOf(await run({ returnAll: false, limit: 5 }));
		expect(limited).toMatchObject({ complete: false, recordsInWindow: null, returned: 5 });
		expect(limited.records.map((r) => String(r.id))).toEqual(want.slice(0, 5).map(String));
		expect(limited.note).toContain('the window may hold more (this API gives no count)');
		expect(limited.note).toContain(`startTime ${String(limited.records[4].gmtCreate)}`);
		const all = answerOf(await run({ returnAll: true, maxAnswerCharacters: 1_000_000 }));
		expect(all).toMatchObject({ complete: true, recordsInWindow: want.length, returned: want.length });
	});
});

describe('the fields a model fills', () => {
	test.each([
		['"7, 8"', '7, 8'],
		['"[7,8]"', '[7,8]'],
		['an array of numbers', [7, 8]],
		['labels', 'busy, incoming call not answered'],
	])('Hang-Up Reasons as %s', async (_how, hangupReasons) => {
		const result = await callCenterTool({ ...DAYS_3, hangupReasons }, { returnAll: true, filters: { hangupReasons: fromAi('hangupReasons', 'json') } });
		const answer = answerOf(result);
		expect(sandbox.requests[0].body!.params).toMatchObject({ hangupReason: [7, 8] });
		expect(answer.recordsInWindow).toBe(idsIn(DAYS_3, { hangupReason: [7, 8] }).length);
	});

	test('one number for a coded field, call types and directions by label, agent IDs as a JSON array', async () => {
		const result = await callCenterTool(
			{ ...DAYS_3, callTypes: 'incoming', hangingDirections: 'agent hung up', seatIds: '[101, 103]', hangupReasons: 9 },
			{
				returnAll: true,
				filters: {
					callTypes: fromAi('callTypes'),
					hangingDirections: fromAi('hangingDirections'),
					seatIds: fromAi('seatIds'),
					hangupReasons: fromAi('hangupReasons', 'number'),
				},
			},
		);
		const params = { callType: [2], hangingDirection: [1], seatId: [101, 103], hangupReason: [9] };
		expect(sandbox.requests[0].body!.params).toMatchObject(params);
		expect(answerOf(result).records.map((r) => String(r.keyId))).toEqual(idsIn(DAYS_3, params));
	});

	test('times with or without an offset, a date alone, and Limit and Return All as text', async () => {
		const result = await callCenterTool(
			{ startTime: '2024-03-04', endTime: '2024-03-04T12:00:00.000Z', limit: '3', returnAll: 'false' },
			{ returnAll: fromAi('returnAll', 'boolean'), limit: fromAi('limit', 'number') },
		);
		const answer = answerOf(result);
		// 2024-03-04 is midnight in the workflow's zone, New York.
		expect(answer.window).toEqual({ start: '2024-03-04T00:00:00-05:00', end: '2024-03-04T07:00:00-05:00' });
		expect(answer.records.map((r) => String(r.keyId))).toEqual(idsIn({ startTime: '2024-03-04T05:00:00Z', endTime: '2024-03-04T12:00:00Z' }).slice(0, 3));
	});

	test.each([
		['an unknown hang-up reason', { hangupReasons: 'loud' }, /^Filters → Hang-Up Reasons has an invalid value: Got "loud"\. "loud" is not one of them\. Use codes or labels, as a list: 0 \(Outgoing call not answered\).*7 \(Called party is busy\).*e\.g\. "0, 1"/],
		['an ambiguous hang-up reason', { hangupReasons: 'not answered' }, /Hang-Up Reasons.*"not answered" could be 0 or 8/],
		['an unknown direction', { hangingDirections: '[2]' }, /^Filters → Hang-Up Directions has an invalid value.*0 \(Customer hung up\), 1 \(Agent hung up\), 3 \(None\)/],
		['agent IDs as names', { seatIds: 'alice' }, /^Filters → Agent IDs has an invalid value.*e\.g\. "101, 102"/],
		['a time in words', { startTime: 'last monday' }, /^Start Time "last monday" is not a date and time: Use ISO 8601 such as 2024-01-31T00:00:00/],
		['an end before the start', { endTime: '2024-03-01T00:00:00Z' }, /^End Time must be after Start Time: The window runs from/],
	])('%s fails before any request, the fix in the message the model gets', async (_name, args, message) => {
		const result = await callCenterTool(
			{ ...DAYS_3, ...args },
			{ returnAll: true, filters: { hangupReasons: fromAi('hangupReasons'), hangingDirections: fromAi('hangingDirections'), seatIds: fromAi('seatIds') } },
		);
		expect(result.error?.message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('the plain node keeps its short message and the fix in the description', async () => {
		const result = await runNode({
			type: 'callCenterRecords',
			parameters: { operation: 'getMany', ...DAYS_3, returnAll: true, filters: { hangupReasons: '={{ "loud" }}' } },
			credentials: platformCredentials(sandbox),
			timezone: WORKFLOW_TZ,
		});
		expect(result.error?.message).toBe('Filters → Hang-Up Reasons has an invalid value');
		expect(result.error?.description).toContain('7 (Called party is busy)');
	});

	test('Voice Records: a start older than two months names the earliest one in the message', async () => {
		const result = await runNode({
			type: 'voiceRecordsTool',
			parameters: { operation: 'getMany', ...WINDOW_FROM_AI, returnAll: true },
			credentials: platformCredentials(voice),
			timezone: 'UTC',
			input: [{ startTime: new Date(Date.now() - 90 * DAY_MS).toISOString(), endTime: new Date().toISOString() }],
		});
		const earliest = new ZoneClock('UTC').toIso(earliestVoiceStartMs(Date.now())).slice(0, 13);
		expect(result.error?.message).toMatch(/^Start Time is older than the two months voice records are kept: The earliest Start Time that can be queried now is /);
		expect(result.error?.message).toContain(earliest);
	});

	test('Max Answer Size below 1,000 fails naming it', async () => {
		const result = await callCenterTool(DAYS_3, { returnAll: true, maxAnswerCharacters: 10 });
		expect(result.error?.message).toMatch(/^Max Response Size \(Characters\) must be a whole number of at least 1000/);
	});
});

describe('what n8n offers the model', () => {
	test('each tool has a tool-only Description written for a model, and the answer cap; the plain node shows neither', async () => {
		const { nodeClasses } = await import('../engine/packageTypes');
		for (const name of ['numberRecords', 'callCenterRecords', 'voiceRecords', 'flashCallCdrs']) {
			const properties = nodeClasses[name].description.properties;
			const description = properties.find((p) => p.name === 'toolDescription')!;
			expect(description.displayOptions?.show?.['@tool']).toEqual([true]);
			expect(String(description.default)).toMatch(/ISO 8601.*recordsInWindow/s);
			expect(properties.find((p) => p.name === 'maxAnswerCharacters')?.displayOptions?.show?.['@tool']).toEqual([true]);
		}
	});
});

describe('Summarize as a tool', () => {
	const summarize = (args: IDataObject, parameters: Record<string, unknown> = {}) =>
		callCenterTool(args, { operation: 'summarize', groupBy: fromAi('groupBy'), ...parameters });

	test('one answer: the totals of the whole window and every group, the same figures as the plain node', async () => {
		const answer = answerOf(await summarize({ ...DAYS_3, groupBy: 'Agent' }));
		const plain = await runNode({
			type: 'callCenterRecords',
			parameters: { operation: 'summarize', ...DAYS_3, groupBy: ['agent'], options: { output: 'single' } },
			credentials: platformCredentials(sandbox),
			timezone: WORKFLOW_TZ,
		});
		const single = plain.items[0].json as IDataObject & { groups: IDataObject[] };
		expect(answer).toMatchObject({ complete: true, groupsReturned: single.groups.length, groupBy: ['agent'] });
		expect(answer.totals).toEqual(single.totals);
		expect(answer.groups).toEqual(single.groups);
		expect((answer.totals as IDataObject).calls).toBe(idsIn(DAYS_3).length);
	});

	test('groups past the cap are left out, largest kept, the totals still whole', async () => {
		const long = { startTime: '2024-01-01T00:00:00Z', endTime: '2024-07-19T00:00:00Z' };
		const full = answerOf(await summarize({ ...long, groupBy: 'day' }, { maxAnswerCharacters: 1_000_000 }));
		const groups = full.groups as IDataObject[];
		expect(groups.length).toBeGreaterThan(30);
		const capped = answerOf(await summarize({ ...long, groupBy: 'day' }, { maxAnswerCharacters: 5_000 }));
		expect(JSON.stringify(capped).length).toBeLessThanOrEqual(5_000);
		expect(capped.complete).toBe(false);
		expect(capped.totals).toEqual(full.totals);
		expect(capped.groups).toEqual(groups.slice(0, capped.groupsReturned as number));
		expect(capped.note).toContain(`of ${groups.length} fit the answer's size cap of 5000 characters`);
	});

	test('Group By as a model writes it: ids or editor names, text or a JSON array', async () => {
		for (const groupBy of ['hangupReason, agent', '["Hang-Up Reason", "Agent"]', 'hang-up reason,AGENT']) {
			expect(answerOf(await summarize({ ...DAYS_3, groupBy })).groupBy).toEqual(['hangupReason', 'agent']);
		}
	});

	test('an unknown dimension fails before any request, the accepted ones in the message', async () => {
		const result = await summarize({ ...DAYS_3, groupBy: 'colour' });
		expect(result.error?.message).toMatch(/^Group By "colour" is not a dimension of Call Center Records: Use up to 2 of: .*agent \(Agent\)/);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('the Summarize tool has its own Description, naming its dimensions', async () => {
		const { nodeClasses } = await import('../engine/packageTypes');
		const descriptions = nodeClasses.callCenterRecords.description.properties.filter((p) => p.name === 'toolDescription');
		const forSummarize = descriptions.find((p) => p.displayOptions?.show?.operation?.includes('summarize'))!;
		expect(forSummarize.displayOptions?.show?.['@tool']).toEqual([true]);
		expect(String(forSummarize.default)).toMatch(/^Counts the call center records of a time window .*groupBy: .*agent \(Agent\).*ISO 8601/);
	});
});
