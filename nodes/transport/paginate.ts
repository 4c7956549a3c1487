import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { ApiDataError } from './errors';
import { RecentIds, appendNew } from './uniqueById';

/** A record as the API sent it. */
export type RawRecord = IDataObject;

export const isRawRecord = (value: unknown): value is RawRecord => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface Page<R> {
	records: R[];
	total: number;
	pages: number;
}

export const MAX_PAGE_SIZE = 100;

export interface PaginateOptions<R> {
	/** Fetches one page (1-based); retries and throttling are the fetcher's business. */
	fetchPage: (page: number, size: number) => Promise<Page<R>>;
	/** Turns a page's records into what the read returns; run once per page, in page order. */
	convert?: (records: R[]) => R[];
	/** The record's unique id: repeats (rows shifting between pages) are dropped by it. */
	idOf: (record: R) => string;
	/** Undefined: every record. */
	limit?: number;
	/** Pages in flight at most. */
	concurrency: number;
	/** Told how many records the API says the query holds (the largest total its pages gave). */
	onTotal?: (total: number) => void;
}

/** Thrown when the API's pages cannot add up to what it said it holds, even after a re-read. */
export class InconsistentPagingError extends ApiDataError {
	constructor(
		readonly expected: number,
		readonly received: number,
	) {
		super({
			message: `The API reported ${expected} records for this query but its pages held only ${received} distinct ones, also on a second read`,
			description:
				'The provider changed or repeated pages while they were read, so the result would be incomplete. Run again; if it persists, narrow the time window and contact the provider.',
		});
	}
}

/** Thrown when records are filed into a listing faster than its pages can be read (far beyond one per request). */
export class FilingOutpacesPagingError extends ApiDataError {
	constructor(requests: number, total: number) {
		super({
			message: `Records were filed into this query faster than its pages could be read (${requests} page requests, ${total} records and still growing)`,
			description: 'End the time window a few minutes before now, or lower Max Parallel Requests, and run again.',
		});
	}
}

/**
 * Reads pages first..last with at most `workers` in flight (the fetcher's gate may allow fewer)
 * and hands each to `take` in page order, converted, while later pages are still on the wire.
 * Pages are taken on a later turn of the event loop than the one their response arrived in:
 * their conversion then never stands between a response and the request that follows it.
 * `take` may be async (a repair read): the next page waits for it, the requests do not.
 * After a failure no further page is started.
 */
async function fetchRange<R>(
	options: PaginateOptions<R>,
	first: number,
	last: number,
	size: number,
	take: (page: Page<R>, number: number) => void | Promise<void>,
): Promise<void> {
	const waiting: Array<Page<R> | undefined> = new Array(Math.max(0, last - first + 1));
	let next = first;
	let taken = 0;
	// Lowest failing page: the error a sequential read would have hit first.
	const failed: Array<{ error: unknown; page: number }> = [];
	// Set while a turn that takes the ready pages is due or running; cleared in the same turn as it finds none ready.
	let taking: Promise<void> | undefined;
	const takeReady = async () => {
		for (let ready = waiting[taken]; ready !== undefined && failed.length === 0; ready = waiting[taken]) {
			waiting[taken++] = undefined;
			try {
				await take(converted(options, ready), first + taken - 1);
			} catch (error) {
				failed.push({ error, page: first + taken - 1 });
			}
		}
		taking = undefined;
	};
	const worker = async () => {
		while (failed.length === 0 && next <= last) {
			const page = next++;
			try {
				waiting[page - first] = await options.fetchPage(page, size);
			} catch (error) {
				failed.push({ error, page });
				continue;
			}
			if (taking === undefined && waiting[taken] !== undefined) taking = sleep(0).then(takeReady);
		}
	};
	const workers = Math.max(1, Math.min(options.concurrency, waiting.length));
	await Promise.all(Array.from({ length: workers }, worker));
	while (taking !== undefined) await taking;
	await takeReady();
	if (failed.length > 0) throw failed.reduce((a, b) => (b.page < a.page ? b : a)).error;
}

function converted<R>(options: PaginateOptions<R>, page: Page<R>): Page<R> {
	return options.convert ? { ...page, records: options.convert(page.records) } : page;
}

function pageCount(page: Page<unknown>, size: number): number {
	return Math.max(page.pages, Math.ceil(page.total / size));
}

/** What one pass over a listing does with each page's records, taken in page order. */
type TakeRecords<R> = (records: R[]) => void;

/**
 * One pass over every page of a newest-first listing that records may be filed into meanwhile
 * (docs/reliability.md). `first` is page 1 as read.
 *
 * Filing only ever moves a row to a later position. So a row present throughout can be missed
 * only (a) where page q+1 was served before page q and rows crossed their boundary in between:
 * each answer carries the total at its serving time, so total(q) > total(q+1) marks such a
 * boundary, and the rows that crossed sat at positions [q*size, q*size + total(q) - total(q+1))
 * when page q was served; such a boundary is repaired at once, while its ids are recent; or
 * (b) past the last page read: pages are read on while the largest total seen lies beyond them.
 * Returns the first page's total (the records present for the whole pass), or the largest
 * total if a total ever fell, which filing alone never makes happen.
 */
async function readPass<R>(options: PaginateOptions<R>, size: number, first: Page<R>, take: TakeRecords<R>): Promise<number> {
	// A request sent after an answer was received is served after it, so its total may not be
	// smaller: if it is, the API lost records or misreported a total, and the pass must then
	// account for the largest total, as on a quiet account.
	let received = first.total;
	let fell = false;
	const fetchPage = async (number: number, pageSize: number) => {
		const floor = received;
		const page = await options.fetchPage(number, pageSize);
		if (page.total < floor) fell = true;
		received = Math.max(received, page.total);
		return page;
	};
	const paging = { ...options, fetchPage };
	let largest = first.total;
	let previous = { number: 1, total: first.total };
	// Requests this pass made. Filed records cost pages and repairs, which give filing more time:
	// at one record per request that adds about 1 % plus a page or two per boundary served out of
	// order, but at tens per request it never ends. Far more requests than page 1 asked for stop it.
	let requests = 1;
	const most = 4 * pageCount(first, size) + 50;
	const counted = (page: Page<R>) => {
		requests++;
		largest = Math.max(largest, page.total);
		if (requests > most) throw new FilingOutpacesPagingError(requests, largest);
		return page;
	};
	const takePage = async (page: Page<R>, number: number) => {
		counted(page);
		take(page.records);
		const boundary = previous;
		previous = { number, total: page.total };
		if (boundary.total > page.total) await repairBoundary(boundary.number, page.total);
	};
	/**
	 * Reads on from page q+1, one page at a time and in order, until the rows that crossed the
	 * boundary after page q (see above) must have been met: each has moved down at most by what
	 * was filed since, so it sits before q*size + total(now) - total(q+1), and a row read in
	 * ascending order cannot jump over the page it is on. Rows already taken are repeats.
	 */
	const repairBoundary = async (q: number, totalAfter: number) => {
		for (let number = q + 1; ; number++) {
			const page = counted(converted(options, await fetchPage(number, size)));
			take(page.records);
			if (number * size >= Math.min(page.total, q * size + page.total - totalAfter)) return;
		}
	};
	take(first.records);
	for (let read = 1, last = pageCount(first, size); last > read; read = last, last = Math.ceil(largest / size)) {
		await fetchRange(paging, read + 1, last, size, takePage);
	}
	return fell ? largest : first.total;
}

/**
 * Reads a page-numbered listing. The first page tells how many there are; the rest are read in
 * parallel and joined in the API's order with repeats dropped. With no limit the result must
 * account for every record page 1 reported (records filed meanwhile are readPass's business):
 * if a page came back wrong, all pages are read once more and the two reads merged; if they
 * still fall short, the run fails rather than return a silently partial result.
 */
export async function paginate<R>(options: PaginateOptions<R>): Promise<R[]> {
	const { idOf, limit } = options;
	const size = limit === undefined ? MAX_PAGE_SIZE : Math.min(limit, MAX_PAGE_SIZE);
	const firstPage = converted(options, await options.fetchPage(1, size));

	/** Every page after `first`, each record once. */
	const readAll = async (first: Page<R>) => {
		const out: R[] = [];
		const seen = new Set<string>();
		const expected = await readPass(options, size, first, (records) => appendNew(out, seen, records, idOf));
		return { out, expected };
	};

	/**
	 * Everything, accounted for: every record present when page 1 was served must be there. If
	 * not, a page came back wrong: read everything once more and merge; fail if that falls short too.
	 */
	const readChecked = async () => {
		const firstRead = await readAll(firstPage);
		if (firstRead.out.length >= firstRead.expected) return firstRead.out;
		const secondRead = await readAll(converted(options, await options.fetchPage(1, size)));
		const merged = mergeInOrder(secondRead.out, firstRead.out, idOf);
		if (merged.length < secondRead.expected) throw new InconsistentPagingError(secondRead.expected, merged.length);
		return merged;
	};

	if (limit === undefined) {
		const all = await readChecked();
		options.onTotal?.(all.length);
		return all;
	}

	const out: R[] = [];
	const seen = new Set<string>();
	appendNew(out, seen, firstPage.records, idOf);
	const pages = pageCount(firstPage, size);
	let total = firstPage.total;
	let next = 2;
	// Usually one round; more only when repeats ate into the pages we asked for.
	while (out.length < limit && next <= pages) {
		const last = Math.min(pages, next - 1 + Math.ceil((limit - out.length) / size));
		await fetchRange(options, next, last, size, (page) => {
			appendNew(out, seen, page.records, idOf);
			total = Math.max(total, page.total);
		});
		next = last + 1;
	}
	if (out.length >= Math.min(limit, total)) {
		options.onTotal?.(total);
		return out.slice(0, limit);
	}
	// The pages ran out before the limit or the total did: read it all, with its checks.
	const all = await readChecked();
	options.onTotal?.(all.length);
	return all.slice(0, limit);
}

/** How many recent ids a streamed read checks a record against: far more than rows shift by while pages are read. */
export const RECENT_IDS = 20 * MAX_PAGE_SIZE;

/**
 * Reads every page of a listing like paginate's Return All, but keeps no record: each page's
 * new records go to the current pass as the page arrives, in the API's order, and are dropped
 * there. Repeats are recognised among the most recent ids (RecentIds), where rows that shift
 * between pages land (a repair read of readPass among them). The read must account for the
 * records page 1 reported: a pass that falls short is followed by a second from page 1 (`startPass` is called again and the caller discards
 * the first pass's work); if that falls short too, the run fails. Unlike paginate, the two
 * passes are not merged: that would need every id.
 */
export async function streamPages<R>(options: Omit<PaginateOptions<R>, 'limit'>, startPass: () => TakeRecords<R>): Promise<void> {
	const { idOf } = options;
	const pass = async () => {
		const consume = startPass();
		const recent = new RecentIds(RECENT_IDS);
		let count = 0;
		const first = converted(options, await options.fetchPage(1, MAX_PAGE_SIZE));
		const expected = await readPass(options, MAX_PAGE_SIZE, first, (records) => {
			const fresh = records.filter((record) => recent.add(idOf(record)));
			count += fresh.length;
			if (fresh.length > 0) consume(fresh);
		});
		return { count, expected };
	};
	const firstPass = await pass();
	if (firstPass.count >= firstPass.expected) return;
	const secondPass = await pass();
	if (secondPass.count < secondPass.expected) throw new InconsistentPagingError(secondPass.expected, secondPass.count);
}

/**
 * Joins two reads of the same listing: the newer read's order, with records only the older
 * read saw placed right after the record that preceded them there.
 */
export function mergeInOrder<R>(newer: R[], older: R[], idOf: (r: R) => string): R[] {
	const inNewer = new Set(newer.map(idOf));
	const after = new Map<string | undefined, R[]>();
	let anchor: string | undefined;
	for (const record of older) {
		const id = idOf(record);
		if (inNewer.has(id)) {
			anchor = id;
			continue;
		}
		const list = after.get(anchor) ?? [];
		list.push(record);
		after.set(anchor, list);
	}
	const out: R[] = [...(after.get(undefined) ?? [])];
	for (const record of newer) {
		out.push(record);
		const extra = after.get(idOf(record));
		// One by one: a spread of a long run would overflow the stack.
		if (extra) for (const record of extra) out.push(record);
	}
	return out;
}
