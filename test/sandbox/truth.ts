/**
 * The figures Summarize must give, computed straight from the sandbox's stored records (their wire
 * form), apart from the package's shaping and fold: a second, plain implementation of the KPI
 * definitions in docs/summarize.md, for the engine and end-to-end tests to compare the node with.
 */
import { formatInTimeZone } from 'date-fns-tz';

import { CALL_TYPES, HANGING_DIRECTIONS, HANGUP_REASONS } from '../../nodes/CallCenterRecords/codes';
import { SIP_REASON_PHRASES } from '../../nodes/shared/sipCodes';
import { ZoneClock } from '../../nodes/transport/time';
import type { EndpointName } from './server';

type Wire = Record<string, any>;
type Key = string | number | null;

interface Facts {
	timeMs: number;
	answered: boolean;
	direction?: 'outgoing' | 'incoming' | null;
	rang?: boolean;
	duration: number;
	charged: number;
	cost: { currency: string; micros: bigint } | null;
	ring: number | null;
	pdd: number | null;
	dims: Record<string, { key: Key; label?: string | null }>;
}

/** Which figures each kind has (absent ones are not in the node's output either). */
const HAS: Record<EndpointName, { answered: boolean; directions: boolean; rang: boolean; duration: boolean; charged: boolean; cost: boolean; ring: boolean; pdd: boolean }> = {
	numberRecords: { answered: true, directions: true, rang: false, duration: true, charged: true, cost: true, ring: false, pdd: false },
	callCenterRecords: { answered: true, directions: false, rang: false, duration: true, charged: false, cost: false, ring: true, pdd: false },
	voiceRecords: { answered: true, directions: false, rang: false, duration: true, charged: true, cost: true, ring: true, pdd: true },
	// A flash call is dropped before it is answered: no ASR or ACD, the calls that rang.
	flashCalls: { answered: false, directions: false, rang: true, duration: false, charged: false, cost: true, ring: false, pdd: false },
};

/** Every dimension each kind has, for the tests to go through. */
export const KIND_DIMENSIONS: Record<EndpointName, string[]> = {
	numberRecords: ['hangupReason', 'sipCode', 'country', 'number', 'callType', 'currency', 'hour', 'day'],
	callCenterRecords: ['hangupReason', 'sipCode', 'country', 'agent', 'agentGroup', 'callType', 'hangupDirection', 'hour', 'day'],
	voiceRecords: ['terminationCode', 'country', 'number', 'currency', 'hour', 'day'],
	flashCalls: ['number', 'hour', 'day'],
};

/** A decimal text (or number) as millionths, exactly. */
function micros(value: unknown): bigint | null {
	if (value === null || value === undefined || value === '') return null;
	const text = typeof value === 'number' ? value.toFixed(6) : String(value).trim();
	const [whole, fraction = ''] = text.split('.');
	const negative = whole.startsWith('-');
	const digits = BigInt(whole.replace('-', '') || '0') * 1_000_000n + BigInt((fraction + '000000').slice(0, 6));
	const rounded = fraction.length > 6 && Number(fraction[6]) >= 5 ? digits + 1n : digits;
	return negative ? -rounded : rounded;
}

const text = (value: unknown): Key => (value === null || value === undefined || String(value).trim() === '' ? null : typeof value === 'number' ? value : String(value).trim());
const sip = (code: unknown) => ({ key: text(code), label: SIP_REASON_PHRASES[String(code ?? '').trim()] ?? null });
/** An interval in whole seconds; left out (null) when a time is missing or it comes out negative. */
const interval = (seconds: number | null) => (seconds === null || !Number.isFinite(seconds) || seconds < 0 ? null : seconds);
const seconds = (from: unknown, to: unknown) => (from && to ? interval(Math.round((Date.parse(String(to)) - Date.parse(String(from))) / 1000)) : null);
/** The quoted currency: named only when not USD; a record without the field (ITNIO's number records) names none. */
const quoted = (w: Wire) => (!('currency' in w) ? 'unspecified' : String(w.currency ?? '').trim().toUpperCase() || 'USD');

function factsOf(endpoint: EndpointName, w: Wire, accountZone: string): Facts {
	const account = new ZoneClock(accountZone);
	switch (endpoint) {
		case 'numberRecords': {
			const currency = quoted(w);
			const amount = micros(w.pay);
			return {
				timeMs: account.parseWall(w.startTime)!,
				answered: Number(w.callDuration) > 0,
				direction: w.callSource === 3 ? 'outgoing' : w.callSource === 2 ? 'incoming' : null,
				duration: Number(w.callDuration),
				charged: Number(w.chargedDuration),
				cost: amount === null ? null : { currency, micros: amount },
				ring: null,
				pdd: null,
				dims: {
					hangupReason: { key: text(w.hangupReason) },
					sipCode: sip(w.sipCode),
					country: { key: text(w.ccode), label: text(w.country) as string | null },
					number: { key: text(w.number) },
					callType: { key: Number(w.callSource), label: ({ 2: 'Incoming', 3: 'Outgoing' } as Record<number, string>)[Number(w.callSource)] ?? null },
					currency: { key: currency },
				},
			};
		}
		case 'callCenterRecords': {
			const [, code, name] = /^(\d+)\((.*)\)$/.exec(String(w.ccode)) ?? [];
			return {
				timeMs: account.parseWall(w.callStartTime)!,
				answered: w.calledAnswerTime !== null && w.calledAnswerTime !== undefined && w.calledAnswerTime !== '',
				duration: Number(w.callDuration),
				charged: 0,
				cost: null,
				ring: typeof w.ringDuration === 'number' ? interval(w.ringDuration) : null,
				pdd: null,
				dims: {
					hangupReason: { key: w.hangupReason, label: HANGUP_REASONS[w.hangupReason] ?? null },
					sipCode: sip(w.hangupCode),
					country: { key: code ?? null, label: name ?? null },
					// The agent by name, as answers carry it; by id only where a record carries one.
					agent: { key: typeof w.seatId === 'number' ? w.seatId : text(w.seatName), label: w.seatName },
					agentGroup: { key: w.voiceGroupId, label: w.sipGroupName },
					callType: { key: w.callType, label: CALL_TYPES[w.callType] ?? null },
					hangupDirection: { key: w.hangingDirection, label: HANGING_DIRECTIONS[w.hangingDirection] ?? null },
				},
			};
		}
		case 'voiceRecords': {
			const currency = quoted(w);
			// cost is documented in USD whatever the quoted currency.
			const amount = micros(w.cost);
			return {
				timeMs: Date.parse(w.submitTime),
				answered: String(w.terminationCode) === '200',
				duration: Number(w.callDuration),
				charged: Number(w.chargedDuration),
				cost: amount === null ? null : { currency: 'USD', micros: amount },
				ring: seconds(w.ringingTime, w.answerTime || w.hangupTime),
				// The documents' order: submitTime < ringingTime < callTime.
				pdd: seconds(w.submitTime, w.ringingTime),
				dims: {
					terminationCode: sip(w.terminationCode),
					country: { key: text(String(w.code ?? '').split('(')[0]) },
					number: { key: text(w.displayNum) },
					currency: { key: currency },
				},
			};
		}
		case 'flashCalls': {
			const amount = micros(w.price);
			return {
				timeMs: account.parseWall(w.gmtCreate)!,
				answered: false,
				rang: w.callStartAt !== null && w.callStartAt !== undefined && w.callStartAt !== '',
				duration: 0,
				charged: 0,
				cost: amount === null ? null : { currency: 'unspecified', micros: amount },
				ring: null,
				pdd: null,
				dims: { number: { key: text(w.callingNumber) } },
			};
		}
	}
}

interface Tally {
	calls: number;
	answered: number;
	rang: number;
	dir: Record<'outgoing' | 'incoming', { calls: number; answered: number; seconds: number }>;
	duration: number;
	answeredDuration: number;
	charged: number;
	cost: Map<string, bigint>;
	first: number;
	last: number;
	ring: number[];
	pdd: number[];
}

const newTally = (): Tally => ({ calls: 0, answered: 0, rang: 0, dir: { outgoing: { calls: 0, answered: 0, seconds: 0 }, incoming: { calls: 0, answered: 0, seconds: 0 } }, duration: 0, answeredDuration: 0, charged: 0, cost: new Map(), first: Infinity, last: -Infinity, ring: [], pdd: [] });
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const mean = (values: number[]) => (values.length === 0 ? null : round(values.reduce((a, b) => a + b, 0) / values.length, 2));

function figures(endpoint: EndpointName, t: Tally, zone: string) {
	const has = HAS[endpoint];
	const iso = (ms: number) => (Number.isFinite(ms) ? formatInTimeZone(ms, zone, "yyyy-MM-dd'T'HH:mm:ssxxx") : null);
	const asr = (answered: number, calls: number) => (calls ? round(answered / calls, 4) : null);
	const acd = (secs: number, answered: number) => (answered ? round(secs / answered, 2) : null);
	const directions = Object.fromEntries(
		(['outgoing', 'incoming'] as const).flatMap((d) => [
			[`${d}Calls`, t.dir[d].calls],
			[`${d}Answered`, t.dir[d].answered],
			[`${d}Asr`, asr(t.dir[d].answered, t.dir[d].calls)],
			[`${d}Acd`, acd(t.dir[d].seconds, t.dir[d].answered)],
		]),
	);
	return {
		calls: t.calls,
		...(has.answered ? { answered: t.answered } : {}),
		...(has.answered && has.directions ? { ...directions, asrAllDirections: asr(t.answered, t.calls), acdAllDirections: acd(t.answeredDuration, t.answered) } : {}),
		...(has.answered && !has.directions ? { asr: asr(t.answered, t.calls), acd: acd(t.answeredDuration, t.answered) } : {}),
		...(has.rang ? { rang: t.rang } : {}),
		...(has.duration ? { totalDuration: t.duration } : {}),
		...(has.charged ? { chargedDuration: t.charged } : {}),
		...(has.cost ? { cost: Object.fromEntries([...t.cost.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, m]) => [c, Number(m) / 1e6])) } : {}),
		firstCallTime: iso(t.first),
		lastCallTime: iso(t.last),
		...(has.ring ? { averageRingTime: mean(t.ring), ringTimeCalls: t.ring.length } : {}),
		...(has.pdd ? { averagePostDialDelay: mean(t.pdd), postDialDelayCalls: t.pdd.length } : {}),
	};
}

function add(t: Tally, f: Facts) {
	t.calls++;
	t.duration += f.duration;
	t.charged += f.charged;
	if (f.answered) {
		t.answered++;
		t.answeredDuration += f.duration;
	}
	if (f.rang) t.rang++;
	if (f.direction) {
		t.dir[f.direction].calls++;
		if (f.answered) {
			t.dir[f.direction].answered++;
			t.dir[f.direction].seconds += f.duration;
		}
	}
	if (f.cost) t.cost.set(f.cost.currency, (t.cost.get(f.cost.currency) ?? 0n) + f.cost.micros);
	t.first = Math.min(t.first, f.timeMs);
	t.last = Math.max(t.last, f.timeMs);
	if (f.ring !== null) t.ring.push(f.ring);
	if (f.pdd !== null) t.pdd.push(f.pdd);
}

const NO_LABEL = new Set(['hangupReason:numberRecords', 'number', 'currency', 'hour', 'day', 'country:voiceRecords']);
const hasLabel = (endpoint: EndpointName, dim: string) => !NO_LABEL.has(dim) && !NO_LABEL.has(`${dim}:${endpoint}`);

export interface TruthQuery {
	endpoint: EndpointName;
	/** The records as the endpoint sent them. */
	records: Wire[];
	accountTimeZone: string;
	workflowTimeZone: string;
	groupBy: string[];
}

/** The node's output for a query, one item per group then the totals, without the window's description. */
export function truth(query: TruthQuery): { groups: Array<Record<string, unknown>>; totals: Record<string, unknown> } {
	const { endpoint, groupBy, workflowTimeZone: zone } = query;
	const totals = newTally();
	const groups = new Map<string, { keys: Key[]; labels: Array<string | null | undefined>; tally: Tally }>();
	for (const wire of query.records) {
		const f = factsOf(endpoint, wire, query.accountTimeZone);
		f.dims.hour = { key: formatInTimeZone(f.timeMs, zone, "yyyy-MM-dd'T'HH:00:00xxx") };
		f.dims.day = { key: formatInTimeZone(f.timeMs, zone, 'yyyy-MM-dd') };
		add(totals, f);
		if (groupBy.length === 0) continue;
		const keys = groupBy.map((d) => f.dims[d].key);
		const id = JSON.stringify(keys.map((k) => [typeof k, k]));
		if (!groups.has(id)) groups.set(id, { keys, labels: groupBy.map((d) => f.dims[d].label), tally: newTally() });
		add(groups.get(id)!.tally, f);
	}
	const order = (a: Key, b: Key) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1);
	const sorted = [...groups.values()].sort((a, b) => b.tally.calls - a.tally.calls || order(a.keys[0], b.keys[0]) || order(a.keys[1] ?? null, b.keys[1] ?? null));
	return {
		groups: sorted.map((g) => {
			const keys: Record<string, unknown> = {};
			groupBy.forEach((d, i) => {
				keys[d] = g.keys[i];
				if (hasLabel(endpoint, d)) keys[`${d}Label`] = g.labels[i] ?? null;
			});
			return { row: 'group', ...keys, ...figures(endpoint, g.tally, zone) };
		}),
		totals: { row: 'totals', groupCount: groups.size, ...figures(endpoint, totals, zone) },
	};
}
