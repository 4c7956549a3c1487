/** The Summarize fold as a pure module: record → group → figures, merging, sorting, rounding. */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { callCenterSummary } from '../../nodes/CallCenterRecords/listing';
import { numberRecordsSummary } from '../../nodes/NumberRecords/listing';
import { foldParts } from '../../nodes/shared/foldParts';
import type { SummaryPlan } from '../../nodes/shared/summarize/fold';
import { summaryFold, summaryResult } from '../../nodes/shared/summarize/fold';
import type { DimensionId } from '../../nodes/shared/summarize/spec';

const plan = (groupBy: DimensionId[]): SummaryPlan => ({ spec: numberRecordsSummary, timeField: 'startTime', groupBy });

function call(overrides: IDataObject = {}): IDataObject {
	return { callid: 'x', startTime: '2024-03-01T10:15:00+01:00', callDuration: 0, chargedDuration: 0, pay: 0, sipCode: '486', ccode: '91', country: 'India', number: '911', callSource: 2, callSourceLabel: 'Incoming', ...overrides };
}

function summarizeAll(records: IDataObject[], groupBy: DimensionId[]) {
	const fold = summaryFold(plan(groupBy));
	const state = fold.start();
	for (const record of records) fold.add(state, record);
	return summaryResult(state, plan(groupBy));
}

describe('summary fold', () => {
	test('figures of a window: ASR with 4 decimals per direction, ACD over answered calls, durations, first and last call', () => {
		const records = [
			call({ callDuration: 61, chargedDuration: 120, pay: 0.5, startTime: '2024-03-01T10:15:00+01:00' }),
			call({ callDuration: 30, chargedDuration: 60, pay: 0.25, startTime: '2024-03-01T09:00:00+01:00' }),
			call({ callDuration: 0, startTime: '2024-03-01T11:00:00+01:00' }),
			call({ callDuration: 20, callSource: 3, startTime: '2024-03-01T10:00:00+01:00', currency: '' }),
		];
		expect(summarizeAll(records, []).totals).toEqual({
			calls: 4,
			answered: 3,
			outgoingCalls: 1,
			outgoingAnswered: 1,
			outgoingAsr: 1,
			outgoingAcd: 20,
			incomingCalls: 3,
			incomingAnswered: 2,
			incomingAsr: 0.6667,
			incomingAcd: 45.5,
			asrAllDirections: 0.75,
			acdAllDirections: 37,
			totalDuration: 111,
			chargedDuration: 180,
			// pay in the quoted currency: unnamed on ITNIO's records, USD where the field is there but empty.
			cost: { USD: 0, unspecified: 0.75 },
			firstCallTime: '2024-03-01T09:00:00+01:00',
			lastCallTime: '2024-03-01T11:00:00+01:00',
		});
	});

	test('an empty window: zero calls, ratios and times null', () => {
		expect(summarizeAll([], ['sipCode'])).toEqual({
			totals: {
				calls: 0,
				answered: 0,
				outgoingCalls: 0,
				outgoingAnswered: 0,
				outgoingAsr: null,
				outgoingAcd: null,
				incomingCalls: 0,
				incomingAnswered: 0,
				incomingAsr: null,
				incomingAcd: null,
				asrAllDirections: null,
				acdAllDirections: null,
				totalDuration: 0, chargedDuration: 0, cost: {}, firstCallTime: null, lastCallTime: null },
			groups: [],
		});
	});

	test('costs stay in their currency; money is summed exactly', () => {
		const records = [call({ pay: 0.1, currency: '' }), call({ pay: 0.2, currency: null }), call({ pay: 0.3, currency: 'EUR' }), call({ pay: 0.012832, currency: 'eur' })];
		const { totals, groups } = summarizeAll(records, ['currency']);
		expect(totals.cost).toEqual({ EUR: 0.312832, USD: 0.3 });
		expect(groups.map((g) => [g.currency, g.cost])).toEqual([
			['EUR', { EUR: 0.312832 }],
			['USD', { USD: 0.3 }],
		]);
	});

	test('groups: most calls first, ties by key (numbers by value, a missing key last), labels beside coded keys', () => {
		const records = [call({ sipCode: '486' }), call({ sipCode: '200' }), call({ sipCode: '' }), call({ sipCode: '480' }), call({ sipCode: '480' })];
		const { groups } = summarizeAll(records, ['sipCode']);
		expect(groups.map((g) => [g.sipCode, g.sipCodeLabel, g.calls])).toEqual([
			['480', 'Temporarily Unavailable', 2],
			['200', 'OK (answered)', 1],
			['486', 'Busy Here', 1],
			[null, null, 1],
		]);
	});

	test('two dimensions key a group together; the call-center hang-up reason carries its documented label', () => {
		const cc: SummaryPlan = { spec: callCenterSummary, timeField: 'callStartTime', groupBy: ['hangupReason', 'agent'] };
		const fold = summaryFold(cc);
		const state = fold.start();
		const agentCall = (hangupReason: number, seatId: number) => ({ callStartTime: '2024-03-01T10:00:00Z', callDuration: 0, ringDuration: 4, hangupReason, hangupReasonLabel: hangupReason === 7 ? 'Called party is busy' : 'Call failed', seatId, seatName: `agent-${seatId}` });
		for (const record of [agentCall(7, 101), agentCall(7, 101), agentCall(7, 102), agentCall(4, 101)]) fold.add(state, record);
		const { groups } = summaryResult(state, cc);
		expect(groups.map((g) => [g.hangupReason, g.hangupReasonLabel, g.agent, g.agentLabel, g.calls, g.averageRingTime])).toEqual([
			[7, 'Called party is busy', 101, 'agent-101', 2, 4],
			[4, 'Call failed', 101, 'agent-101', 1, 4],
			[7, 'Called party is busy', 102, 'agent-102', 1, 4],
		]);
	});

	test('the hour and the day are those of the time as written (the workflow time zone)', () => {
		const { groups } = summarizeAll([call({ startTime: '2024-03-01T23:59:59-05:00' }), call({ startTime: '2024-03-02T00:00:00-05:00' })], ['day', 'hour']);
		expect(groups.map((g) => [g.day, g.hour])).toEqual([
			['2024-03-01', '2024-03-01T23:00:00-05:00'],
			['2024-03-02', '2024-03-02T00:00:00-05:00'],
		]);
	});

	test('folding parts apart and merging them gives the figures of one fold over everything', () => {
		const record = fc.record({
			callDuration: fc.integer({ min: 0, max: 900 }),
			chargedDuration: fc.integer({ min: 0, max: 960 }),
			pay: fc.integer({ min: 0, max: 99_999 }).map((n) => n / 1e6),
			sipCode: fc.constantFrom('200', '486', '480', ''),
			currency: fc.constantFrom('USD', 'EUR', ''),
			second: fc.integer({ min: 0, max: 86_399 }),
		});
		fc.assert(
			fc.property(fc.array(record, { maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 4 }), (raw, cuts) => {
				const records = raw.map(({ second, ...r }) => call({ ...r, startTime: new Date(Date.UTC(2024, 2, 1) + second * 1000).toISOString().replace('.000Z', '+00:00') }));
				const groupBy: DimensionId[] = ['sipCode', 'currency'];
				const fold = summaryFold(plan(groupBy));
				const bounds = [0, ...cuts.map((c) => Math.min(c, records.length)).sort((a, b) => a - b), records.length];
				const total = fold.start();
				for (let i = 1; i < bounds.length; i++) {
					const part = fold.start();
					for (const r of records.slice(bounds[i - 1], bounds[i])) fold.add(part, r);
					fold.merge(total, part);
				}
				expect(summaryResult(total, plan(groupBy))).toEqual(summarizeAll(records, groupBy));
			}),
		);
	});
});

describe('foldParts', () => {
	test('a record on a shared boundary second, read by both neighbours, is folded once; a second pass replaces the first', async () => {
		const at = (ms: number, id: string) => call({ callid: id, startTime: new Date(ms).toISOString(), callDuration: 10 });
		const parts = [
			{ startMs: 10_000, endMs: 20_000 },
			{ startMs: 0, endMs: 10_000 },
		];
		const served: Record<number, IDataObject[]> = {
			10_000: [at(19_000, 'a'), at(10_500, 'edge'), at(10_000, 'edge2')],
			0: [at(10_500, 'edge'), at(10_000, 'edge2'), at(5_000, 'b')],
		};
		let passes = 0;
		const state = await foldParts({
			fold: summaryFold(plan([])),
			parts,
			readPart: async (part, startPass) => {
				// The first part is read twice, as after a short first pass.
				const rounds = part.startMs === 10_000 ? 2 : 1;
				for (let i = 0; i < rounds; i++) {
					passes++;
					startPass()(served[part.startMs].map((r) => ({ ...r })));
				}
			},
			runAll: async (tasks) => await Promise.all(tasks.map(async (task) => await task())),
			timeOf: (record) => Date.parse(String(record.startTime)),
			idOf: (record) => String(record.callid),
		});
		expect(passes).toBe(3);
		expect(summaryResult(state, plan([])).totals.calls).toBe(4);
	});
});
