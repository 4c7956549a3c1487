/**
 * A model of a provider listing that records are filed into while it is read: newest first (or
 * oldest first for a cursor API), each request served at a random moment after it is asked for
 * and answered a random moment later, so parallel requests are served and answered out of order.
 * Records are filed at random times (positions), never deleted. Used by the property tests.
 */
import type { Page } from '../../nodes/transport/paginate';
import { seededRandom } from '../sandbox/random';

export type Row = { id: string; t: number };

export interface FilingOptions {
	seed: number;
	/** Records present before the read. */
	initial: number;
	/** New records filed just before each request is served: the whole part always, the fraction as a chance. */
	rate: number;
	/** Times span [0, span) (seconds for a cursor API). */
	span?: number;
	/** An id the API counts but never serves: a provider that loses a record. */
	lose?: string;
}

/** Yields to the event loop a random number of times (0 to 4): requests overtake each other. */
async function jitter(random: () => number): Promise<void> {
	for (let n = Math.floor(random() * 5); n > 0; n--) await new Promise((resolve) => setImmediate(resolve));
}

export function filingListing(options: FilingOptions) {
	const random = seededRandom(options.seed);
	const span = options.span ?? 1_000_000;
	// Newest first; among equal times the larger id first (a stable order the API keeps).
	const rows: Row[] = [];
	const insert = (row: Row) => {
		let lo = 0;
		let hi = rows.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (rows[mid].t > row.t || (rows[mid].t === row.t && rows[mid].id > row.id)) lo = mid + 1;
			else hi = mid;
		}
		rows.splice(lo, 0, row);
	};
	for (let i = 0; i < options.initial; i++) insert({ id: `r${String(i).padStart(5, '0')}`, t: Math.floor(random() * span) });
	const initialIds = rows.map((row) => row.id);
	let filed = 0;
	let requests = 0;
	const fileMaybe = () => {
		requests++;
		const count = Math.floor(options.rate) + (random() < options.rate % 1 ? 1 : 0);
		for (let i = 0; i < count; i++) insert({ id: `n${String(filed++).padStart(5, '0')}`, t: Math.floor(random() * span) });
	};
	const served = (list: Row[]) => (options.lose === undefined ? list : list.filter((row) => row.id !== options.lose));

	/** A page-numbered listing, newest first. */
	const fetchPage = async (page: number, size: number): Promise<Page<Row>> => {
		await jitter(random);
		fileMaybe();
		const records = served(rows.slice((page - 1) * size, page * size));
		const total = rows.length;
		await jitter(random);
		return { records, total, pages: Math.ceil(total / size) };
	};

	/** A cursor API: at most `pageSize` rows of [start, end], oldest first. */
	const fetchByTime = (pageSize: number) => async (start: number, end: number): Promise<Row[]> => {
		await jitter(random);
		fileMaybe();
		const out: Row[] = [];
		for (let i = rows.length - 1; i >= 0 && out.length < pageSize; i--) {
			const row = rows[i];
			if (row.t >= start && row.t <= end && row.id !== options.lose) out.push(row);
		}
		await jitter(random);
		return out;
	};

	return { rows, initialIds, fetchPage, fetchByTime, filedCount: () => filed, requestCount: () => requests };
}
