import type { RawRecord } from './paginate';
import { appendNew } from './uniqueById';

/** 100 or more rows share one second: a cursor of whole seconds cannot get past it. */
export class CursorStallError extends Error {
	constructor(readonly second: string) {
		super(`More than one call's worth of rows (100 or more) share the second ${second}: the API cannot page past it`);
	}
}

/** The cursor went backwards: the API's rows are not in time order. */
export class CursorOrderError extends Error {
	constructor(
		readonly from: string,
		readonly to: string,
	) {
		super(`The API's rows went back in time (from ${from} to ${to}), so paging by time cannot be trusted`);
	}
}

export interface CursorOptions {
	/** One call: at most `pageSize` rows with time >= start and <= end, oldest first. */
	fetch: (start: string, end: string) => Promise<RawRecord[]>;
	/** Row's time in the same sortable text form as start and end (`yyyy-MM-dd HH:mm:ss`). */
	timeOf: (row: RawRecord) => string;
	idOf: (row: RawRecord) => string;
	pageSize: number;
	limit?: number;
}

/**
 * Reads [start, end] from an API without pages: each call starts at the last row's time. Rows
 * of that boundary second come back and are dropped by id. If a full answer never leaves its
 * first second, that second holds more rows than one call returns: fail, naming it, rather than
 * loop or skip the rest of that second.
 */
export async function readByCursor(start: string, end: string, options: CursorOptions): Promise<RawRecord[]> {
	const out: RawRecord[] = [];
	const seen = new Set<string>();
	let cursor = start;
	for (;;) {
		const rows = await options.fetch(cursor, end);
		appendNew(out, seen, rows, options.idOf);
		if (options.limit !== undefined && out.length >= options.limit) return out.slice(0, options.limit);
		if (rows.length < options.pageSize) return out;
		const next = options.timeOf(rows[rows.length - 1]);
		if (next === cursor) throw new CursorStallError(cursor);
		if (next < cursor) throw new CursorOrderError(cursor, next);
		cursor = next;
	}
}
