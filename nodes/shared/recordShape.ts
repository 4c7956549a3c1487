import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../transport/http';
import { apiError } from '../transport/errors';
import type { RawRecord } from '../transport/paginate';
import type { ZoneClock } from '../transport/time';

const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const INTEGER_CODE = /^-?\d+$/;

/** A record kind's shape: takes a record as the API sends it, returns the item a workflow gets or why it cannot. */
export type RecordShape = (raw: unknown) => IDataObject | RecordProblem;

/** Converts one field as the API sends it into what the output carries; throws FieldError if it cannot. */
export type FieldConverter = (value: unknown) => unknown;

/** Thrown by a FieldConverter: why the value does not convert. */
export class FieldError extends Error {}

/** Returned by a RecordShape: which field of the record does not convert, and why. */
export class RecordProblem {
	constructor(
		readonly field: string,
		readonly reason: string,
	) {}
}

/** Money, rates and durations: documented as numbers, often sent as strings; empty means no value. */
export const toDecimal: FieldConverter = (value) => {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (value === '' || value === null || value === undefined) return null;
	if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value);
	throw new FieldError('expected a number');
};

export const toInteger: FieldConverter = (value) => {
	const n = toDecimal(value);
	if (n !== null && !Number.isInteger(n)) throw new FieldError('expected a whole number');
	return n;
};

/** A coded field (status, source): a number, possibly sent as a string. */
export const toCode: FieldConverter = (value) => {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (value === null || value === undefined) return null;
	if (typeof value === 'string' && INTEGER_CODE.test(value.trim())) return Number(value);
	throw new FieldError('expected a numeric code');
};

/** A record id as text: a non-empty string, or a number the API chose to send as one. */
export const toIdText: FieldConverter = (value) => {
	if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value);
	throw new FieldError('expected a record id');
};

/** Clocks for reading the API's times (account zone) and writing the output (workflow zone). */
export interface Clocks {
	account: ZoneClock;
	output: ZoneClock;
}

/**
 * A date-time from the API as ISO 8601 with the workflow's offset. Accepts `yyyy-MM-dd HH:mm:ss`
 * (the account's wall time), ISO 8601 with an offset, and Unix timestamps in seconds or ms.
 */
export function toDateTime(clocks: Clocks): FieldConverter {
	return (value) => {
		if (value === null || value === undefined || value === '') return null;
		if (typeof value !== 'string' && typeof value !== 'number') throw new FieldError('expected a date-time');
		const text = String(value).trim();
		// Most often the account's offset-less wall time, so that is tried first.
		let ms = clocks.account.parseWall(text);
		if (ms === undefined) {
			if (/^\d{9,13}$/.test(text)) ms = text.length > 11 ? Number(text) : Number(text) * 1000;
			else if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text)) ms = Date.parse(text);
		}
		if (ms === undefined || Number.isNaN(ms)) throw new FieldError(`"${text}" is not a date-time`);
		return clocks.output.toIso(ms);
	};
}

/**
 * A record shape from the fields to convert: each present field is converted, absent ones stay
 * absent, every other field is kept as sent; `required` fields must be there; `finish` adds
 * derived fields. A plain function rather than a zod schema, as it runs for every record of a
 * read (see docs/performance.md).
 */
export function defineShape(
	fields: Record<string, FieldConverter>,
	options: { required?: string[]; finish?: (out: IDataObject) => void } = {},
): RecordShape {
	const keys = Object.keys(fields);
	const converters = keys.map((key) => fields[key]);
	const required = options.required ?? [];
	return (raw) => {
		if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return new RecordProblem('record', 'expected a record object');
		// Converted in place: the record is the transport's own fresh parse of the answer, held by
		// nothing else, and a copy of every record would double the garbage of a large read.
		const out = raw as IDataObject;
		for (const key of required) {
			if (out[key] === undefined || out[key] === null) return new RecordProblem(key, 'is missing');
		}
		for (let i = 0; i < keys.length; i++) {
			const key = keys[i];
			const value = out[key];
			if (value === undefined && !(key in out)) continue;
			try {
				out[key] = converters[i](value) as IDataObject[string];
			} catch (error) {
				// A converter's own failure is reported like bad data, against the field it was reading.
				return new RecordProblem(key, error instanceof FieldError ? error.message : `could not be read (${String(error)})`);
			}
		}
		options.finish?.(out);
		return out;
	};
}

/**
 * Converts each record with `shape`. The first record that does not fit fails the run, naming it;
 * with `markBad` (the trigger, which must not stall on one record) it is kept instead, every
 * field that converts converted, the others as sent, and `recordError` saying which and why.
 */
export function shapeRecords(
	ctx: RequestContext,
	records: RawRecord[],
	shape: RecordShape,
	idField: string,
	itemIndex: number,
	markBad = false,
): IDataObject[] {
	const out: IDataObject[] = [];
	for (const record of records) {
		// The shape converts in place: the trigger keeps the record as sent, for a second try.
		const converted = shape(markBad ? { ...record } : record);
		if (converted instanceof RecordProblem) {
			if (markBad) {
				out.push(shapeAround(shape, record, converted, idField));
				continue;
			}
			throw apiError(
				ctx,
				{
					message: `The API sent a record with an unreadable "${converted.field}"`,
					description: `Record ${idField} ${JSON.stringify(record[idField] ?? null)}: ${converted.reason}. Turn on Raw Output to receive the records unchanged.`,
				},
				itemIndex,
			);
		}
		out.push(converted);
	}
	return out;
}

/** A record shaped without the fields that do not convert, which are put back as sent and named in `recordError`. */
function shapeAround(shape: RecordShape, record: RawRecord, first: RecordProblem, idField: string): IDataObject {
	const problems = [first];
	const without: RawRecord = { ...record };
	for (;;) {
		const problem = problems[problems.length - 1];
		if (problem.field === 'record' || !(problem.field in without)) break;
		delete without[problem.field];
		const converted = shape({ ...without });
		if (!(converted instanceof RecordProblem)) {
			for (const { field } of problems) converted[field] = record[field];
			return { ...converted, recordError: recordErrorText(record, problems, idField) };
		}
		problems.push(converted);
	}
	return { ...record, recordError: recordErrorText(record, problems, idField) };
}

function recordErrorText(record: RawRecord, problems: RecordProblem[], idField: string): string {
	const fields = problems.map((p) => `"${p.field}" ${p.reason}`).join('; ');
	return `Record ${idField} ${JSON.stringify(record[idField] ?? null)} could not be read whole: ${fields}. The fields named are as the API sent them.`;
}
