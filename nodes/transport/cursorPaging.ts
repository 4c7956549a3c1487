import { ApiDataError } from './errors';
import type { RawRecord } from './paginate';

/** 100 or more rows share one second: a cursor of whole seconds cannot get past it. */
export class CursorStallError extends ApiDataError {
	constructor(
		readonly second: string,
		timeZone: string,
	) {
		super({
			message: `100 or more flash calls share the second ${second} (${timeZone}); the API cannot page past it`,
			description:
				'NXCloud returns at most 100 rows per call and pages by whole seconds, so the rest of that second cannot be read. Nothing was returned rather than an incomplete result. Ask NXCloud for an export of that second, or end the window before it.',
		});
	}
}

/** The cursor went backwards: the API's rows are not in time order. */
export class CursorOrderError extends ApiDataError {
	constructor(from: string, to: string) {
		super({
			message: `The API's rows went back in time (from ${from} to ${to}), so paging by time cannot be trusted`,
			description: 'Run again; if it persists, contact NXCloud.',
		});
	}
}

export interface CursorOptions {
	/** One call: at most `pageSize` rows with time >= start and <= end, oldest first. */
	fetch: (start: string, end: string) => Promise<RawRecord[]>;
	/** Row's time in the same sortable text form as start and end (`yyyy-MM-dd HH:mm:ss`). */
	timeOf: (row: RawRecord) => string;
	/** The zone of start, end and the rows' times, for messages. */
	timeZone: string;
	idOf: (row: RawRecord) => string;
	pageSize: number;
	limit?: number;
	/**
	 * Set (the trigger, which must not stall): a second the cursor cannot get past is told here
	 * instead of failing, and the cursor goes on from the next second; its rows beyond the ones
	 * the API returned are not read.
	 */
	onCrowdedSecond?: (second: string) => void;
}

/** The `yyyy-MM-dd HH:mm:ss` text one second after `time` (wall-clock arithmetic); undefined if not that form. */
export function nextSecond(time: string): string | undefined {
	const ms = Date.parse(`${time.replace(' ', 'T')}Z`);
	if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(time) || Number.isNaN(ms)) return undefined;
	return new Date(ms + 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Reads [start, end] from an API without pages: each call starts at the last row's time, and
 * the rows of that boundary second come back. Each call's new rows go to `take` as they arrive
 * (return true to stop); repeats are recognised by the ids of the boundary second alone, so no
 * other id is held. If a full answer never leaves its first second, that second holds more rows
 * than one call returns: fail, naming it, rather than loop or skip the rest of that second; or,
 * with `onCrowdedSecond`, tell it and go on from the next second.
 */
export async function streamByCursor(start: string, end: string, options: CursorOptions, take: (rows: RawRecord[]) => boolean | void): Promise<void> {
	let cursor = start;
	// The latest second read so far and the ids read on it: the only rows a call can repeat.
	let edgeTime = '';
	let edgeIds = new Set<string>();
	for (;;) {
		const rows = await options.fetch(cursor, end);
		const fresh: RawRecord[] = [];
		for (const row of rows) {
			const time = options.timeOf(row);
			const id = options.idOf(row);
			if (time === edgeTime) {
				if (edgeIds.has(id)) continue;
				edgeIds.add(id);
			} else if (time > edgeTime) {
				edgeTime = time;
				edgeIds = new Set([id]);
			}
			fresh.push(row);
		}
		// Read before `take`, which may convert the rows in place.
		const next = rows.length > 0 ? options.timeOf(rows[rows.length - 1]) : cursor;
		if (fresh.length > 0 && take(fresh) === true) return;
		if (rows.length < options.pageSize) return;
		if (next < cursor) throw new CursorOrderError(cursor, next);
		if (next === cursor) {
			// A full answer that never left the cursor's second: the API cannot page past it.
			const after = options.onCrowdedSecond ? nextSecond(cursor) : undefined;
			if (after === undefined) throw new CursorStallError(cursor, options.timeZone);
			options.onCrowdedSecond!(cursor);
			if (after > end) return;
			cursor = after;
		} else {
			cursor = next;
		}
	}
}

/** Every row of [start, end] (up to `limit`), in the API's order, each once. */
export async function readByCursor(start: string, end: string, options: CursorOptions): Promise<RawRecord[]> {
	const out: RawRecord[] = [];
	const { limit } = options;
	await streamByCursor(start, end, options, (rows) => {
		for (const row of rows) out.push(row);
		return limit !== undefined && out.length >= limit;
	});
	return limit !== undefined ? out.slice(0, limit) : out;
}
