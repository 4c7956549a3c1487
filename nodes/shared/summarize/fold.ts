import type { IDataObject } from 'n8n-workflow';

import type { RecordFold } from '../listing';
import type { DimensionId, Direction, KeyValue, SummarySpec } from './spec';
import { DIRECTIONS } from './spec';

/**
 * The fold behind Summarize: record → group → figures. Pure: no request, no n8n. A state holds
 * one tally per group and one for the window, never a record, so its size grows with the groups
 * alone. States merge (sums, minima and maxima), so the parts of a read can be folded apart.
 */

/** The running figures of a set of calls. Money is counted in millionths, so sums are exact in any order. */
/** Calls, answered calls and their seconds, of one direction. */
interface Answers {
	calls: number;
	answered: number;
	answeredDuration: number;
}

interface Tally {
	calls: number;
	answered: number;
	directions: Record<Direction, Answers>;
	rang: number;
	duration: number;
	answeredDuration: number;
	chargedDuration: number;
	costMicros: Map<string, number>;
	firstMs: number;
	firstTime: string | null;
	lastMs: number;
	lastTime: string | null;
	ringTime: number;
	ringCalls: number;
	postDialDelay: number;
	postDialCalls: number;
}

interface Group {
	keys: KeyValue[];
	labels: Array<string | null>;
	tally: Tally;
}

export interface SummaryState {
	totals: Tally;
	groups: Map<string, Group>;
}

/** What to summarize: the kind's figures, the field its calls are filed under, the dimensions to group by. */
export interface SummaryPlan {
	spec: SummarySpec;
	timeField: string;
	groupBy: DimensionId[];
}

function emptyTally(): Tally {
	return {
		calls: 0,
		answered: 0,
		directions: { outgoing: { calls: 0, answered: 0, answeredDuration: 0 }, incoming: { calls: 0, answered: 0, answeredDuration: 0 } },
		rang: 0,
		duration: 0,
		answeredDuration: 0,
		chargedDuration: 0,
		costMicros: new Map(),
		firstMs: Infinity,
		firstTime: null,
		lastMs: -Infinity,
		lastTime: null,
		ringTime: 0,
		ringCalls: 0,
		postDialDelay: 0,
		postDialCalls: 0,
	};
}

/** One record's contribution, computed once and added to the window's tally and its group's. */
interface Call {
	answered: boolean;
	direction: Direction | null;
	rang: boolean;
	duration: number;
	chargedDuration: number;
	cost: { currency: string; micros: number } | null;
	timeMs: number;
	time: string | null;
	ringTime: number | null;
	postDialDelay: number | null;
}

/** An interval that comes out negative (times out of the documents' order) or not at all is left out of its average. */
function interval(seconds: number | null | undefined): number | null {
	return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

function readCall(plan: SummaryPlan, record: IDataObject): Call {
	const { spec } = plan;
	const time = record[plan.timeField];
	const timeMs = typeof time === 'string' ? Date.parse(time) : NaN;
	const cost = spec.cost?.(record) ?? null;
	return {
		answered: spec.answered?.test(record) ?? false,
		direction: spec.direction?.(record) ?? null,
		rang: spec.rang?.test(record) ?? false,
		duration: spec.duration?.(record) ?? 0,
		chargedDuration: spec.chargedDuration?.(record) ?? 0,
		cost: cost ? { currency: cost.currency, micros: Math.round(cost.amount * 1e6) } : null,
		timeMs,
		time: Number.isFinite(timeMs) ? (time as string) : null,
		ringTime: interval(spec.ringTime?.(record)),
		postDialDelay: interval(spec.postDialDelay?.(record)),
	};
}

function addCall(tally: Tally, call: Call): void {
	tally.calls++;
	tally.duration += call.duration;
	tally.chargedDuration += call.chargedDuration;
	if (call.answered) {
		tally.answered++;
		tally.answeredDuration += call.duration;
	}
	if (call.direction) {
		const direction = tally.directions[call.direction];
		direction.calls++;
		if (call.answered) {
			direction.answered++;
			direction.answeredDuration += call.duration;
		}
	}
	if (call.rang) tally.rang++;
	if (call.cost) tally.costMicros.set(call.cost.currency, (tally.costMicros.get(call.cost.currency) ?? 0) + call.cost.micros);
	if (call.time !== null) {
		if (call.timeMs < tally.firstMs) [tally.firstMs, tally.firstTime] = [call.timeMs, call.time];
		if (call.timeMs > tally.lastMs) [tally.lastMs, tally.lastTime] = [call.timeMs, call.time];
	}
	if (call.ringTime !== null) {
		tally.ringTime += call.ringTime;
		tally.ringCalls++;
	}
	if (call.postDialDelay !== null) {
		tally.postDialDelay += call.postDialDelay;
		tally.postDialCalls++;
	}
}

function mergeTally(into: Tally, part: Tally): void {
	into.calls += part.calls;
	into.answered += part.answered;
	for (const direction of DIRECTIONS) {
		into.directions[direction].calls += part.directions[direction].calls;
		into.directions[direction].answered += part.directions[direction].answered;
		into.directions[direction].answeredDuration += part.directions[direction].answeredDuration;
	}
	into.rang += part.rang;
	into.duration += part.duration;
	into.answeredDuration += part.answeredDuration;
	into.chargedDuration += part.chargedDuration;
	for (const [currency, micros] of part.costMicros) into.costMicros.set(currency, (into.costMicros.get(currency) ?? 0) + micros);
	if (part.firstMs < into.firstMs) [into.firstMs, into.firstTime] = [part.firstMs, part.firstTime];
	if (part.lastMs > into.lastMs) [into.lastMs, into.lastTime] = [part.lastMs, part.lastTime];
	into.ringTime += part.ringTime;
	into.ringCalls += part.ringCalls;
	into.postDialDelay += part.postDialDelay;
	into.postDialCalls += part.postDialCalls;
}

/** A group's map key: the key values, typed, so the code 7 and the text "7" stay apart. */
function groupId(keys: KeyValue[]): string {
	return keys.map((key) => (key === null ? '\u0001' : typeof key === 'number' ? `#${key}` : `:${key}`)).join('\u0000');
}

/** The fold of a plan, for a listing to run over a read. */
export function summaryFold(plan: SummaryPlan): RecordFold<SummaryState> {
	const dimensions = plan.groupBy.map((id) => {
		const dimension = plan.spec.dimensions[id];
		if (!dimension) throw new RangeError(`this record kind has no dimension ${id}`);
		return dimension;
	});
	return {
		start: () => ({ totals: emptyTally(), groups: new Map() }),
		add: (state, record) => {
			const call = readCall(plan, record);
			addCall(state.totals, call);
			if (dimensions.length === 0) return;
			const keys = dimensions.map((dimension) => dimension.key(record));
			const id = groupId(keys);
			let group = state.groups.get(id);
			if (!group) {
				group = { keys, labels: dimensions.map((dimension) => dimension.label?.(record) ?? null), tally: emptyTally() };
				state.groups.set(id, group);
			}
			addCall(group.tally, call);
		},
		merge: (into, part) => {
			mergeTally(into.totals, part.totals);
			for (const [id, group] of part.groups) {
				const existing = into.groups.get(id);
				if (!existing) {
					into.groups.set(id, group);
					continue;
				}
				existing.labels = existing.labels.map((label, i) => label ?? group.labels[i]);
				mergeTally(existing.tally, group.tally);
			}
		},
	};
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

const asr = (answered: number, calls: number) => (calls > 0 ? round(answered / calls, 4) : null);
const acd = (seconds: number, answered: number) => (answered > 0 ? round(seconds / answered, 2) : null);

/** A tally's figures as output: counts, ratios as fractions with 4 decimals, seconds, cost per currency. */
function figures(tally: Tally, spec: SummarySpec): IDataObject {
	const out: IDataObject = { calls: tally.calls };
	if (spec.answered) {
		out.answered = tally.answered;
		if (spec.direction) {
			// ASR and ACD per direction of seizure; the figure over both only under a name that says so.
			for (const direction of DIRECTIONS) {
				const { calls, answered, answeredDuration } = tally.directions[direction];
				out[`${direction}Calls`] = calls;
				out[`${direction}Answered`] = answered;
				out[`${direction}Asr`] = asr(answered, calls);
				out[`${direction}Acd`] = acd(answeredDuration, answered);
			}
			out.asrAllDirections = asr(tally.answered, tally.calls);
			out.acdAllDirections = acd(tally.answeredDuration, tally.answered);
		} else {
			out.asr = asr(tally.answered, tally.calls);
			out.acd = acd(tally.answeredDuration, tally.answered);
		}
	}
	if (spec.rang) out.rang = tally.rang;
	if (spec.duration) out.totalDuration = tally.duration;
	if (spec.chargedDuration) out.chargedDuration = tally.chargedDuration;
	if (spec.cost) {
		const currencies = [...tally.costMicros.keys()].sort();
		out.cost = Object.fromEntries(currencies.map((currency) => [currency, tally.costMicros.get(currency)! / 1e6]));
	}
	out.firstCallTime = tally.firstTime;
	out.lastCallTime = tally.lastTime;
	// Each average says how many calls it covers: those whose interval could be timed.
	if (spec.ringTime) {
		out.averageRingTime = tally.ringCalls > 0 ? round(tally.ringTime / tally.ringCalls, 2) : null;
		out.ringTimeCalls = tally.ringCalls;
	}
	if (spec.postDialDelay) {
		out.averagePostDialDelay = tally.postDialCalls > 0 ? round(tally.postDialDelay / tally.postDialCalls, 2) : null;
		out.postDialDelayCalls = tally.postDialCalls;
	}
	return out;
}

/** Key order: numbers by value, texts by code point, a missing key last. */
function compareKeys(a: KeyValue[], b: KeyValue[]): number {
	for (let i = 0; i < a.length; i++) {
		const [x, y] = [a[i], b[i]];
		if (x === y) continue;
		if (x === null) return 1;
		if (y === null) return -1;
		if (typeof x === 'number' && typeof y === 'number') return x - y;
		return String(x) < String(y) ? -1 : 1;
	}
	return 0;
}

export interface SummaryResult {
	totals: IDataObject;
	/** One per group: its keys (with labels) and figures, most calls first, ties by key. */
	groups: IDataObject[];
}

/** The figures of a folded state. */
export function summaryResult(state: SummaryState, plan: SummaryPlan): SummaryResult {
	const groups = [...state.groups.values()].sort((a, b) => b.tally.calls - a.tally.calls || compareKeys(a.keys, b.keys));
	return {
		totals: figures(state.totals, plan.spec),
		groups: groups.map((group) => {
			const keys: IDataObject = {};
			plan.groupBy.forEach((id, i) => {
				keys[id] = group.keys[i];
				if (plan.spec.dimensions[id]?.label) keys[`${id}Label`] = group.labels[i];
			});
			return { ...keys, ...figures(group.tally, plan.spec) };
		}),
	};
}
