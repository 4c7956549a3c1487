import type { IDataObject } from 'n8n-workflow';

/** The dimensions Summarize can group by; each record kind has some of them (its listing's `summary`). */
export const DIMENSION_NAMES = {
	hangupReason: 'Hang-Up Reason',
	sipCode: 'SIP Code',
	terminationCode: 'Termination Code',
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

/**
 * What Summarize computes for a record kind, from the fields its API documents. Figures a kind's
 * records do not carry are absent (no charged duration for agent calls, no ring time for number records).
 */
export interface SummarySpec {
	/** When a call counts as answered, as the field descriptions and docs/summarize.md say it. */
	answeredRule: string;
	answered: (record: IDataObject) => boolean;
	/** The call's duration in seconds (null: none given). */
	duration: (record: IDataObject) => number | null;
	chargedDuration?: (record: IDataObject) => number | null;
	cost?: (record: IDataObject) => Cost | null;
	/** Seconds the call rang; seconds from dialling to ringing. */
	ringTime?: (record: IDataObject) => number | null;
	postDialDelay?: (record: IDataObject) => number | null;
	dimensions: Partial<Record<DimensionId, Dimension>>;
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

/** The quoted currency of a record: its `currency` field, or USD, which the documents say it then is. */
export function quotedCurrency(record: IDataObject): string {
	const currency = typeof record.currency === 'string' ? record.currency.trim().toUpperCase() : '';
	return currency || 'USD';
}
