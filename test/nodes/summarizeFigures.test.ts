/**
 * Summarize's figures on records shaped as the providers' documents show them, through the real
 * n8n engine against the sandbox over HTTP (issue #34): the agent by name, voice cost and
 * intervals from the voice document's own sample record.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import type { Sandbox, SandboxOptions } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import { callCenterListing } from '../../nodes/CallCenterRecords/listing';
import type { Listing } from '../../nodes/shared/listing';
import { summaryFold, summaryResult } from '../../nodes/shared/summarize/fold';
import type { DimensionId } from '../../nodes/shared/summarize/spec';

const DAY = 86_400_000;
const CC_FROM = Date.parse('2024-03-01T00:00:00Z');
const CC_TO = CC_FROM + 3 * DAY;

async function withSandbox<T>(options: SandboxOptions, work: (sandbox: Sandbox) => Promise<T>): Promise<T> {
	const sandbox = await startSandbox({ seed: 34, timeZone: ACCOUNT_TIME_ZONE, ...options });
	try {
		return await work(sandbox);
	} finally {
		await sandbox.stop();
	}
}

function summarize(sandbox: Sandbox, type: string, startMs: number, endMs: number, parameters: IDataObject = {}, timezone = 'UTC') {
	return runNode({
		type,
		parameters: { operation: 'summarize', startTime: new Date(startMs).toISOString(), endTime: new Date(endMs).toISOString(), ...parameters } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox),
		timezone,
	});
}

const groupsOf = (items: Array<{ json: IDataObject }>) => items.filter((item) => item.json.row === 'group').map((item) => item.json);
const totalsOf = (items: Array<{ json: IDataObject }>) => items[items.length - 1].json;

/** Each agent's calls in the sandbox's own records, by the name the answers carry. */
function callsPerAgent(sandbox: Sandbox): Map<string, number> {
	const counts = new Map<string, number>();
	for (const record of sandbox.recordsIn('callCenterRecords', CC_FROM, CC_TO)) {
		const name = String(record.wire.seatName);
		counts.set(name, (counts.get(name) ?? 0) + 1);
	}
	return counts;
}

describe('Summarize by Agent', () => {
	const records = { callCenterRecords: { count: 400, from: new Date(CC_FROM).toISOString(), to: new Date(CC_TO).toISOString() } };

	test('records as the document shows them (seatName, no seatId): one group per agent name, each with exactly its calls', async () => {
		await withSandbox(records, async (sandbox) => {
			const result = await summarize(sandbox, 'callCenterRecords', CC_FROM, CC_TO, { groupBy: ['agent'] });
			expect(result.error).toBeUndefined();
			const want = callsPerAgent(sandbox);
			expect(want.size).toBeGreaterThanOrEqual(3);
			const groups = groupsOf(result.items);
			expect(Object.fromEntries(groups.map((g) => [g.agent, g.calls]))).toEqual(Object.fromEntries(want));
			for (const group of groups) expect(group.agentLabel).toBe(group.agent);
			expect(totalsOf(result.items).calls).toBe(400);
		});
	});

	test('records that carry seatId anyway are grouped by it, with the name beside it', async () => {
		await withSandbox({ ...records, undocumentedSeatId: true }, async (sandbox) => {
			const result = await summarize(sandbox, 'callCenterRecords', CC_FROM, CC_TO, { groupBy: ['agent'] });
			expect(result.error).toBeUndefined();
			const want = callsPerAgent(sandbox);
			const groups = groupsOf(result.items);
			expect(Object.fromEntries(groups.map((g) => [g.agentLabel, g.calls]))).toEqual(Object.fromEntries(want));
			for (const group of groups) expect(group.agent).toBe(Number(String(group.agentLabel).replace('agent-', '')));
		});
	});
});

/** The voice document's sample record (itnio-voice-records.txt, RESPONSEEXAMPLE), its day moved into the two months the API serves. */
function voiceSample(day: string, changes: IDataObject = {}): IDataObject {
	const at = (time: string) => `${day}T${time}+08:00`;
	return {
		voiceId: '2203031113381000002',
		callee: '91856321412',
		displayNum: '1008122211',
		code: 'Afghanistan(Kandahar)',
		submitTime: at('14:42:40'),
		callTime: at('14:45:42'),
		ringingTime: at('14:42:47'),
		answerTime: at('14:42:50'),
		hangupTime: at('14:42:55'),
		callDuration: 5,
		chargedDuration: 5,
		terminationCode: '200',
		terminationReason: 'success',
		cost: '2',
		billPeriod: '20+20',
		rate: '1.2',
		baseCost: '1',
		voiceFileId: '12022022570cc2484c59d4f8b9745d34226285b1e.mp3',
		feedbackValue: '1',
		calledInfo: 'calledInfo',
		settleRate: '1.2793',
		quoteExchange: '0.938',
		currency: 'EUR',
		settlePay: '1.2793',
		...changes,
	};
}

describe('Summarize of voice records: the document\'s sample record', () => {
	const day = new Date(Date.now() - 7 * DAY).toISOString().slice(0, 10);
	const window = [Date.parse(`${day}T00:00:00+08:00`), Date.parse(`${day}T23:59:59+08:00`)] as const;
	const stored = (wire: IDataObject, id: string) => ({ startMs: Date.parse(String(wire.submitTime)), id, wire: { ...wire, voiceId: id } });

	test('cost in USD (cost), post-dial delay submit → ringing, ring time ringing → answer, each average saying how many calls it covers', async () => {
		await withSandbox({}, async (sandbox) => {
			sandbox.stores.voiceRecords = [stored(voiceSample(day), '1')];
			const result = await summarize(sandbox, 'voiceRecords', ...window);
			expect(result.error).toBeUndefined();
			expect(totalsOf(result.items)).toMatchObject({
				calls: 1,
				cost: { USD: 2 },
				averagePostDialDelay: 7,
				postDialDelayCalls: 1,
				averageRingTime: 3,
				ringTimeCalls: 1,
			});
		});
	});

	test('an interval that comes out negative or cannot be computed is left out of its average', async () => {
		await withSandbox({}, async (sandbox) => {
			const at = (time: string) => `${day}T${time}+08:00`;
			sandbox.stores.voiceRecords = [
				stored(voiceSample(day), '1'),
				// Ringing before submit, answer before ringing: both intervals negative.
				stored(voiceSample(day, { submitTime: at('14:42:40'), ringingTime: at('14:42:30'), answerTime: at('14:42:20'), currency: '', settlePay: '', settleRate: '', quoteExchange: '', cost: '0.5' }), '2'),
				// No ringing time: neither interval can be computed.
				stored(voiceSample(day, { ringingTime: '', cost: '0.25' }), '3'),
			];
			const result = await summarize(sandbox, 'voiceRecords', ...window);
			expect(result.error).toBeUndefined();
			expect(totalsOf(result.items)).toMatchObject({
				calls: 3,
				cost: { USD: 2.75 },
				averagePostDialDelay: 7,
				postDialDelayCalls: 1,
				averageRingTime: 3,
				ringTimeCalls: 1,
			});
		});
	});
});

describe('Summarize of number records: ASR per direction, cost under the currency the record states', () => {
	const from = Date.parse('2024-03-01T00:00:00Z');
	const to = from + DAY;
	const records = { numberRecords: { count: 300, from: new Date(from).toISOString(), to: new Date(to).toISOString() } };

	test('outgoing and incoming each get calls, answered, ASR and ACD; the figure over both is named so', async () => {
		await withSandbox(records, async (sandbox) => {
			const result = await summarize(sandbox, 'numberRecords', from, to);
			expect(result.error).toBeUndefined();
			const totals = totalsOf(result.items);
			const wires = sandbox.recordsIn('numberRecords', from, to).map((r) => r.wire);
			for (const [direction, source] of [['outgoing', 3], ['incoming', 2]] as const) {
				const calls = wires.filter((w) => w.callSource === source);
				const answered = calls.filter((w) => Number(w.callDuration) > 0);
				const seconds = answered.reduce((sum, w) => sum + Number(w.callDuration), 0);
				expect(calls.length).toBeGreaterThan(50);
				expect(totals).toMatchObject({
					[`${direction}Calls`]: calls.length,
					[`${direction}Answered`]: answered.length,
					[`${direction}Asr`]: Math.round((answered.length / calls.length) * 1e4) / 1e4,
					[`${direction}Acd`]: Math.round((seconds / answered.length) * 100) / 100,
				});
			}
			const answered = wires.filter((w) => Number(w.callDuration) > 0).length;
			expect(totals.asrAllDirections).toBe(Math.round((answered / wires.length) * 1e4) / 1e4);
			// No unlabelled ASR mixing both directions.
			expect(totals).not.toHaveProperty('asr');
			expect(totals).not.toHaveProperty('acd');
		});
	});

	test('ITNIO\'s records name no currency: pay is summed under "unspecified", never labelled USD', async () => {
		await withSandbox(records, async (sandbox) => {
			const result = await summarize(sandbox, 'numberRecords', from, to);
			expect(result.error).toBeUndefined();
			expect(Object.keys(totalsOf(result.items).cost as IDataObject)).toEqual(['unspecified']);
		});
	});
});

describe('Summarize of flash calls: no ASR or ACD, the calls that rang', () => {
	test('calls, rang (callStartAt set) and cost; no answered, ASR, ACD or duration', async () => {
		const from = Date.parse('2024-05-01T00:00:00Z');
		const to = from + DAY;
		await withSandbox({ flashCalls: { count: 300, from: new Date(from).toISOString(), to: new Date(to).toISOString() } }, async (sandbox) => {
			const result = await runNode({
				type: 'flashCallCdrs',
				parameters: { operation: 'summarize', startTime: new Date(from).toISOString(), endTime: new Date(to).toISOString() } as NodeRunOptions['parameters'],
				credentials: { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: ACCOUNT_TIME_ZONE } },
				timezone: 'UTC',
			});
			expect(result.error).toBeUndefined();
			const totals = totalsOf(result.items);
			const wires = sandbox.recordsIn('flashCalls', from, to).map((r) => r.wire);
			expect(totals.calls).toBe(wires.length);
			expect(totals.rang).toBe(wires.filter((w) => w.callStartAt !== null).length);
			for (const figure of ['answered', 'asr', 'acd', 'totalDuration']) expect(totals).not.toHaveProperty(figure);
		});
	});
});

/** Summarize's items against the fold of Get Many's records (both through the engine). */
function foldOf(listing: Listing, records: IDataObject[], groupBy: DimensionId[]) {
	const plan = { spec: listing.summary, timeField: listing.timeField, groupBy };
	const fold = summaryFold(plan);
	const state = fold.start();
	for (const record of records) fold.add(state, record);
	const { totals, groups } = summaryResult(state, plan);
	return [...groups.map((group) => ({ row: 'group', ...group })), { row: 'totals', groupCount: groups.length, ...totals }];
}
const withoutWindow = (items: Array<{ json: IDataObject }>) =>
	items.map(({ json }) => {
		const { windowStart, windowEnd, groupBy, ...rest } = json;
		return rest;
	});

describe('Summarize equals Get Many across the autumn clock change (Europe/Berlin)', () => {
	const zone = 'Europe/Berlin';
	const fallBackMs = Date.parse('2024-10-27T01:00:00Z');
	const MIN = 60_000;

	test('call center over 93 days, split 30 minutes before the change: the repeated hour counted once', async () => {
		await withSandbox({ timeZone: zone, callCenterRecords: { count: 300, from: '2024-07-01T00:00:00Z', to: '2024-11-30T00:00:00Z' } }, async (sandbox) => {
			sandbox.addRecords('callCenterRecords', 60, fallBackMs - 90 * MIN, fallBackMs + 90 * MIN);
			// The first 93-day part ends 30 minutes before the clocks go back; the next one's wall span reaches back over the repeated hour.
			const startMs = fallBackMs - 30 * MIN - 93 * DAY;
			const endMs = fallBackMs + 3 * DAY;
			const run = (parameters: IDataObject) =>
				runNode({
					type: 'callCenterRecords',
					parameters: { startTime: new Date(startMs).toISOString(), endTime: new Date(endMs).toISOString(), ...parameters } as NodeRunOptions['parameters'],
					credentials: platformCredentials(sandbox, { timeZone: zone }),
					timezone: zone,
				});
			const getMany = await run({ operation: 'getMany', returnAll: true });
			const summary = await run({ operation: 'summarize', groupBy: ['hour'] });
			expect(getMany.error).toBeUndefined();
			expect(summary.error).toBeUndefined();
			// Both parts were asked for the wall times of the repeated hour.
			expect(new Set(sandbox.requests.map((r) => r.body!.params.startTime)).size).toBe(2);
			expect(totalsOf(summary.items).calls).toBe(getMany.items.length);
			expect(withoutWindow(summary.items)).toEqual(foldOf(callCenterListing, getMany.items.map((item) => item.json), ['hour']));
		});
	});

	test('a tool with a Limit over the same split: recordsInWindow is the exact count of the records the window\'s requests cover', async () => {
		await withSandbox({ timeZone: zone, callCenterRecords: { count: 300, from: '2024-07-01T00:00:00Z', to: '2024-11-30T00:00:00Z' } }, async (sandbox) => {
			sandbox.addRecords('callCenterRecords', 60, fallBackMs - 90 * MIN, fallBackMs + 90 * MIN);
			const window = { startTime: new Date(fallBackMs - 30 * MIN - 93 * DAY).toISOString(), endTime: new Date(fallBackMs + 3 * DAY).toISOString() };
			const all = await runNode({
				type: 'callCenterRecords',
				parameters: { operation: 'getMany', ...window, returnAll: true } as NodeRunOptions['parameters'],
				credentials: platformCredentials(sandbox, { timeZone: zone }),
				timezone: zone,
			});
			const tool = await runNode({
				type: 'callCenterRecordsTool',
				parameters: { operation: 'getMany', ...window, returnAll: false, limit: 5 } as NodeRunOptions['parameters'],
				credentials: platformCredentials(sandbox, { timeZone: zone }),
				timezone: zone,
				input: [{}],
			});
			expect(tool.error).toBeUndefined();
			expect(tool.items[0].json).toMatchObject({ complete: false, returned: 5, recordsInWindow: all.items.length });
		});
	});
});
