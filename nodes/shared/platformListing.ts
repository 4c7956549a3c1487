import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../transport/http';
import { sendOptionsFor } from '../transport/http';
import { paginate, streamPages } from '../transport/paginate';
import type { PaginateOptions, RawRecord } from '../transport/paginate';
import type { PlatformAccount } from '../transport/platformApi';
import { getPlatformAccount, queryPlatformPage } from '../transport/platformApi';
import type { PlatformEndpoint } from '../transport/platforms';
import type { WireTimeFormat } from '../transport/time';
import { ZoneClock, formatForWire, wallText } from '../transport/time';
import { appendNew, concatUnique } from '../transport/uniqueById';
import type { TimeWindow } from '../transport/windows';
import { splitWallWindow, splitWindow } from '../transport/windows';
import { foldParts, requestSpan } from './foldParts';
import type { Listing, ListingRead, RecordFold } from './listing';
import type { Clocks, RecordShape } from './recordShape';
import { shapeRecords } from './recordShape';

/** What a signed ITNIO Tech / Laaffic endpoint adds to a listing: how it is asked, how its records are shaped. */
export interface PlatformEndpointSpec {
	endpoint: PlatformEndpoint;
	/** `iso-offset` is absolute; `plain` is written in the account's time zone, as the API reads it. */
	timeFormat: WireTimeFormat;
	/** The request's `params` for one window, already formatted for the wire. */
	windowParams: (start: string, end: string) => IDataObject;
	/** The longest window the API accepts; longer ones are split. */
	maxWindowMs?: number;
	shape: (clocks: Clocks) => RecordShape;
}

/** A listing read from a signed platform endpoint (all list newest first). */
export function platformListing(spec: Omit<Listing, 'credential' | 'newestFirst' | 'read' | 'fold'> & PlatformEndpointSpec): Listing {
	return {
		...spec,
		credential: 'callRecordsApi',
		newestFirst: true,
		read: async (ctx, itemIndex, read) => await readPlatformListing(ctx, itemIndex, spec, read),
		fold: async (ctx, itemIndex, read, fold) => await foldPlatformListing(ctx, itemIndex, spec, read, fold),
	};
}

type Spec = PlatformEndpointSpec & { idField: string; timeField: string };

/**
 * How a read asks a signed endpoint: the window split to what the API accepts (newest first,
 * like the records), one gate bounding the requests of all windows, and each window's paging
 * (pages shaped as they are taken, so raw records do not pile up).
 */
async function platformRead(ctx: RequestContext, itemIndex: number, spec: Spec, read: ListingRead, rawOutput: boolean) {
	const account = await getPlatformAccount(ctx, itemIndex);
	const sendOptions = sendOptionsFor(read, itemIndex);
	const windows = windowsOf(spec, account, read);
	const shape = spec.shape({ account: account.accountClock, output: new ZoneClock(read.timeZone) });
	const pagingWith = (params: IDataObject): Omit<PaginateOptions<IDataObject>, 'limit'> => {
		return {
			fetchPage: async (current, size) => await queryPlatformPage(ctx, account, spec.endpoint, { current, size, params }, sendOptions),
			convert: rawOutput ? undefined : (records: RawRecord[]) => shapeRecords(ctx, records, shape, spec.idField, itemIndex, read.markBadRecords),
			idOf: (record) => String(record[spec.idField]),
			concurrency: read.concurrency,
		};
	};
	const paging = (window: TimeWindow) => pagingWith(windowParams(spec, account, window, read));
	return { account, windows, gate: sendOptions.gate, paging, pagingWith };
}

/**
 * Reads a window from a signed endpoint: all pages, shaped records. With Return All the windows
 * are read in parallel; with a Limit they are read newest first until it is reached.
 */
async function readPlatformListing(ctx: RequestContext, itemIndex: number, spec: Spec, read: ListingRead): Promise<IDataObject[]> {
	const { account, windows, gate, paging, pagingWith } = await platformRead(ctx, itemIndex, spec, read, read.rawOutput);
	const idOf = (record: IDataObject) => String(record[spec.idField]);
	// The API's total of each window (a tool's answer says how many the window holds); a window
	// asked again keeps its one total.
	const totals = new Map<TimeWindow, number>();
	const counted = (window: TimeWindow) => ({ ...paging(window), onTotal: (count: number) => totals.set(window, count) });
	if (read.limit === undefined) {
		const perWindow = await gate.all(windows.map((window) => async () => await paginate(counted(window))));
		// Neighbouring windows share their boundary second: a record filed on it is kept once. (Each
		// window's read is unique already, so one window needs no second pass.)
		const records = perWindow.length === 1 ? perWindow[0] : concatUnique(perWindow, idOf);
		read.onTotal?.(records.length, false);
		return records;
	}
	// The windows' totals count a record where two windows' requests overlap (their boundary
	// second; on wall clocks, the repeated autumn hour) in both. For a tool's count, which must be
	// exact, each overlap is counted once more (a page of one) and taken off; a Limit's hint asks
	// for no page the Limit did not need.
	const reportTotal = async (partial: boolean) => {
		if (!read.onTotal) return;
		let total = [...totals.values()].reduce((sum, count) => sum + count, 0);
		if (read.countUnread) {
			for (let i = 1; i < windows.length; i++) {
				const params = overlapParams(spec, account, windows[i - 1], windows[i], read);
				if (params) await paginate({ ...pagingWith(params), limit: 1, onTotal: (count) => (total -= count) });
			}
		}
		read.onTotal(total, partial);
	};
	const out: IDataObject[] = [];
	const seen = new Set<string>();
	let partial = false;
	for (const [index, window] of windows.entries()) {
		const wanted = read.limit - out.length;
		if (wanted <= 0) {
			// Windows the Limit left unread are counted only when asked (a tool's answer): a page of one each.
			if (read.onTotal && read.countUnread) for (const rest of windows.slice(index)) await paginate({ ...counted(rest), limit: 1 });
			else partial = true;
			break;
		}
		// The records on the boundary second with the newer window come back first and are repeats:
		// ask again for as many more as were repeats, so that the Limit is met while records remain.
		for (let ask = wanted; ; ) {
			const records = await paginate({ ...counted(window), limit: ask });
			const fresh = records.filter((record) => !seen.has(idOf(record)));
			if (fresh.length >= wanted || records.length < ask) {
				appendNew(out, seen, fresh.slice(0, wanted), idOf);
				break;
			}
			ask += records.length - fresh.length;
		}
	}
	await reportTotal(partial);
	return out;
}

/** Folds every record of a window from a signed endpoint as its pages arrive, the windows in parallel. */
async function foldPlatformListing<S>(ctx: RequestContext, itemIndex: number, spec: Spec, read: ListingRead, fold: RecordFold<S>): Promise<S> {
	const { account, windows, gate, paging } = await platformRead(ctx, itemIndex, spec, read, false);
	return await foldParts({
		fold,
		parts: windows,
		readPart: async (window, startPass) => await streamPages(paging(window), startPass),
		runAll: async (tasks) => await gate.all(tasks),
		timeOf: (record) => Date.parse(String(record[spec.timeField])),
		idOf: (record) => String(record[spec.idField]),
		wallClock: wallClockOf(spec, account),
	});
}

/**
 * The read's window split to what the API accepts. A `plain` API reads wall-clock text in the
 * account's zone, so its limit holds on those clocks too (a part across the spring change is an
 * hour shorter).
 */
function windowsOf(spec: Spec, account: PlatformAccount, read: ListingRead): TimeWindow[] {
	if (!spec.maxWindowMs) return [{ startMs: read.startMs, endMs: read.endMs }];
	return spec.timeFormat === 'plain'
		? splitWallWindow(account.accountClock, read.startMs, read.endMs, spec.maxWindowMs)
		: splitWindow(read.startMs, read.endMs, spec.maxWindowMs);
}

/** Plain windows select on the account's wall clocks, where neighbours overlap over a repeated hour; ISO ones on instants. */
function wallClockOf(spec: Spec, account: PlatformAccount): ZoneClock | undefined {
	return spec.timeFormat === 'plain' ? account.accountClock : undefined;
}

/**
 * The request for what two neighbouring windows' requests both cover, with the filters; none
 * when they share nothing. ISO windows share their boundary second; plain ones the wall times
 * both their spans show (ZoneClock.wallSpan).
 */
function overlapParams(spec: Spec, account: PlatformAccount, a: TimeWindow, b: TimeWindow, read: ListingRead): IDataObject | undefined {
	const wallClock = wallClockOf(spec, account);
	const [[aFrom, aTo], [bFrom, bTo]] = [requestSpan(a, wallClock), requestSpan(b, wallClock)];
	const [from, to] = [Math.max(aFrom, bFrom), Math.min(aTo, bTo)];
	if (from > to) return undefined;
	const text = (at: number) => (wallClock ? wallText(at) : formatForWire(at, read.timeZone, 'iso-offset'));
	return { ...spec.windowParams(text(from), text(to)), ...read.filters };
}

/** The window in the endpoint's time format, with the filters. Plain text spans every wall time the window shows (ZoneClock.wallSpan). */
function windowParams(spec: Spec, account: PlatformAccount, window: TimeWindow, read: ListingRead): IDataObject {
	const [start, end] =
		spec.timeFormat === 'plain'
			? account.accountClock.plainWindow(window.startMs, window.endMs)
			: [window.startMs, window.endMs].map((ms) => formatForWire(ms, read.timeZone, 'iso-offset'));
	return { ...spec.windowParams(start, end), ...read.filters };
}
