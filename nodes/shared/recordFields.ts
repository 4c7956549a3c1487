import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { RequestContext } from '../transport/http';
import { failure } from '../transport/http';
import type { RawRecord } from '../transport/paginate';
import type { ZoneClock } from '../transport/time';

const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** Money, rates and durations: documented as numbers, often sent as strings; empty means no value. */
export const decimal = z
	.union([z.number(), z.string().trim().regex(NUMERIC, 'expected a number'), z.literal(''), z.null(), z.undefined()])
	.transform((value) => (value === '' || value === null || value === undefined ? null : Number(value)));

export const integer = decimal.refine((value) => value === null || Number.isInteger(value), 'expected a whole number');

/** A record id: a non-empty string, or a number the API chose to send as one. */
export const recordId = z.union([z.string().min(1), z.number()]).transform(String);

/** A coded field (status, source): a number, possibly sent as a string. */
export const code = z.union([z.number(), z.string().trim().regex(/^-?\d+$/, 'expected a numeric code'), z.null(), z.undefined()])
	.transform((value) => (value === null || value === undefined ? null : Number(value)));

/** Clocks for reading the API's times (account zone) and writing the output (workflow zone). */
export interface Clocks {
	account: ZoneClock;
	output: ZoneClock;
}

/**
 * A date-time from the API as ISO 8601 with the workflow's offset. Accepts `yyyy-MM-dd HH:mm:ss`
 * (the account's wall time), ISO 8601 with an offset, and Unix timestamps in seconds or ms.
 */
export function apiDateTime(clocks: Clocks) {
	return z.union([z.string(), z.number(), z.null(), z.undefined()]).transform((value, ctx) => {
		if (value === null || value === undefined || value === '') return null;
		const text = String(value).trim();
		let ms: number | undefined;
		if (/^\d{9,13}$/.test(text)) ms = text.length > 11 ? Number(text) : Number(text) * 1000;
		else if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text)) ms = Date.parse(text);
		else ms = clocks.account.parseWall(text);
		if (ms === undefined || Number.isNaN(ms)) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${text}" is not a date-time` });
			return z.NEVER;
		}
		return clocks.output.toIso(ms);
	});
}

/** Parses each record with `schema`; the first record that does not fit fails the run, naming it. */
export function normalizeRecords(
	ctx: RequestContext,
	records: RawRecord[],
	schema: z.ZodType<IDataObject, z.ZodTypeDef, unknown>,
	idField: string,
	itemIndex: number,
): IDataObject[] {
	return records.map((record) => {
		const parsed = schema.safeParse(record);
		if (parsed.success) return parsed.data;
		const issue = parsed.error.issues[0];
		const field = issue.path.join('.') || 'record';
		throw failure(
			ctx,
			{
				message: `The API sent a record with an unreadable "${field}"`,
				description: `Record ${idField} ${JSON.stringify(record[idField] ?? null)}: ${issue.message}. Turn on Raw Output to receive the records unchanged.`,
			},
			itemIndex,
		);
	});
}
