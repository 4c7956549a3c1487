import type { IDataObject } from 'n8n-workflow';

/** The dimensions Summarize can group by; each record kind has some of them (its listing's `summary`). */
export const DIMENSION_NAMES = {
	hangupReason: 'Hang-Up Reason',
	sipCode: 'SIP Code',
	// Voice records call it terminationCode; the editor uses one term for the SIP code in every node.
	terminationCode: 'SIP Code',
	country: 'Country',
	number: 'Number',
	agent: 'Agent',
	agentGroup: 'Agent Group',
	callType: 'Call Type',
	hangupDirection: 'Hang-Up Direction',
	currency: 'Currency',
	hour: 'Hour',
	day: 'Day',
} as const;

export type DimensionId = keyof typeof DIMENSION_NAMES;

/** A group's key value: a code, a text, or null when the record has none. */
export type KeyValue = string | number | null;

/** How a record kind reads one dimension from a (shaped) record. */
export interface Dimension {
	/** What the editor says the dimension groups by for this kind. */
	description: string;
	key: (record: IDataObject) => KeyValue;
	/** The label beside the key (a code's meaning, an agent's name); absent when the key says it all. */
	label?: (record: IDataObject) => string | null;
}

/** An amount in one currency. */
export interface Cost {
	currency: string;
	amount: number;
}

/** The direction of a call's seizure: ASR is a figure per direction (ITU-T E.411), never of both mixed. */
export type Direction = 'outgoing' | 'incoming';
export const DIRECTIONS: Direction[] = ['outgoing', 'incoming'];

/** A count of calls that meet a rule, with the rule in words (for the editor, the tool text and the docs). */
export interface CallRule {
	rule: string;
	test: (record: IDataObject) => boolean;
}

/**
 * What Summarize computes for a record kind, from the fields its API documents. Figures a kind's
 * records do not carry, or that its documents give no meaning, are absent (no charged duration
 * for agent calls, no ASR for flash calls).
 */
export interface SummarySpec {
	/** The kind's figures in a phrase, for the editor and the tool description. */
	figuresText: string;
	/** When a call counts as answered (answered, ASR, ACD), as docs/summarize.md says it; absent where the documents define no answer. */
	answered?: CallRule;
	/** The call's direction, when the kind mixes both: answered, ASR and ACD then come per direction. */
	direction?: (record: IDataObject) => Direction | null;
	/** Flash calls: those that reached the handset. */
	rang?: CallRule;
	/** The call's duration in seconds (null: none given); absent where the documents give none. */
	duration?: (record: IDataObject) => number | null;
	chargedDuration?: (record: IDataObject) => number | null;
	cost?: (record: IDataObject) => Cost | null;
	/** Seconds the call rang; seconds from submission to ringing. */
	ringTime?: (record: IDataObject) => number | null;
	postDialDelay?: (record: IDataObject) => number | null;
	dimensions: Partial<Record<DimensionId, Dimension>>;
}

/** Which calls a kind's counts take, in words: "Answered: …" or, for flash calls, "Rang: …". */
export function countingRules(spec: SummarySpec): string {
	return [spec.answered && `Answered: ${spec.answered.rule}`, spec.rang && `Rang: ${spec.rang.rule}`].filter(Boolean).join('. ');
}

/** A whole number of seconds between two ISO 8601 times of a shaped record; null when either is missing. */
export function secondsBetween(record: IDataObject, from: string, to: string): number | null {
	const start = record[from];
	const end = record[to];
	if (typeof start !== 'string' || typeof end !== 'string') return null;
	const ms = Date.parse(end) - Date.parse(start);
	return Number.isFinite(ms) ? Math.round(ms / 1000) : null;
}

/** A numeric field of a shaped record; null when absent. */
export function numberField(name: string): (record: IDataObject) => number | null {
	return (record) => (typeof record[name] === 'number' ? (record[name] as number) : null);
}

/** A field as a group key: its value, null when absent or empty. */
export function keyField(name: string): (record: IDataObject) => KeyValue {
	return (record) => {
		const value = record[name];
		if (typeof value === 'number') return value;
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		return null;
	};
}

/** A text field as a label; null when absent or empty. */
export function labelField(name: string): (record: IDataObject) => string | null {
	return (record) => (typeof record[name] === 'string' && record[name] !== '' ? (record[name] as string) : null);
}

/** The hour and the day of the call, in the workflow's time zone: read from the record's time, which is written in it. */
export function timeDimensions(timeField: string): Pick<Record<DimensionId, Dimension>, 'hour' | 'day'> {
	const text = (record: IDataObject) => (typeof record[timeField] === 'string' ? (record[timeField] as string) : '');
	return {
		hour: {
			description: "The hour the call started, in the workflow's time zone (e.g. 2024-03-01T13:00:00+01:00)",
			key: (record) => {
				const iso = text(record);
				return iso.length >= 19 ? `${iso.slice(0, 13)}:00:00${iso.slice(19)}` : null;
			},
		},
		day: {
			description: "The day the call started, in the workflow's time zone (e.g. 2024-03-01)",
			key: (record) => (text(record).length >= 10 ? text(record).slice(0, 10) : null),
		},
	};
}

/** The key of amounts whose currency no document states (NXCloud's price, ITNIO number records' pay). */
export const UNSPECIFIED_CURRENCY = 'unspecified';

/**
 * The quoted currency of a record. The documents give `currency` a value only when the quoted
 * currency is not USD: a record with the field and no value is in USD. A record without the field
 * (ITNIO's number records, whose document has none) may be quoted in any currency: unspecified.
 */
export function quotedCurrency(record: IDataObject): string {
	if (!('currency' in record)) return UNSPECIFIED_CURRENCY;
	const currency = typeof record.currency === 'string' ? record.currency.trim().toUpperCase() : '';
	return currency || 'USD';
}
