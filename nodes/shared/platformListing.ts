import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../transport/http';
import { sendOptionsFor } from '../transport/http';
import { paginate } from '../transport/paginate';
import type { RawRecord } from '../transport/paginate';
import type { PlatformAccount } from '../transport/platformApi';
import { getPlatformAccount, queryPlatformPage } from '../transport/platformApi';
import type { PlatformEndpoint } from '../transport/platforms';
import type { WireTimeFormat } from '../transport/time';
import { ZoneClock, formatForWire } from '../transport/time';
import { concatUnique } from '../transport/uniqueById';
import type { TimeWindow } from '../transport/windows';
import { splitWindow } from '../transport/windows';
import type { Listing, ListingRead } from './listing';
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
export function platformListing(spec: Omit<Listing, 'credential' | 'newestFirst' | 'read'> & PlatformEndpointSpec): Listing {
	return { ...spec, credential: 'callRecordsApi', newestFirst: true, read: async (ctx, itemIndex, read) => await readPlatformListing(ctx, itemIndex, spec, read) };
}

type Spec = PlatformEndpointSpec & { idField: string };

/**
 * Reads a window from a signed endpoint: the window split to what the API accepts (newest first,
 * like the records), all pages, shaped records. With Return All the windows are read in parallel
 * (one gate bounds the requests of all of them); with a Limit they are read newest first until
 * it is reached.
 */
async function readPlatformListing(ctx: RequestContext, itemIndex: number, spec: Spec, read: ListingRead): Promise<IDataObject[]> {
	const account = await getPlatformAccount(ctx, itemIndex);
	const sendOptions = sendOptionsFor(read, itemIndex);
	const windows = spec.maxWindowMs ? splitWindow(read.startMs, read.endMs, spec.maxWindowMs) : [{ startMs: read.startMs, endMs: read.endMs }];
	const shape = spec.shape({ account: account.accountClock, output: new ZoneClock(read.timeZone) });
	let total = 0;
	const readWindow = async (window: TimeWindow, limit: number | undefined) => {
		const params = windowParams(spec, account, window, read);
		return await paginate<IDataObject>({
			onTotal: (count) => (total += count),
			fetchPage: async (current, size) => await queryPlatformPage(ctx, account, spec.endpoint, { current, size, params }, sendOptions),
			// Each page is shaped as it is joined, so the raw records do not pile up until the end.
			convert: read.rawOutput ? undefined : (records: RawRecord[]) => shapeRecords(ctx, records, shape, spec.idField, itemIndex),
			idOf: (record) => String(record[spec.idField]),
			limit,
			concurrency: read.concurrency,
		});
	};

	const perWindow: IDataObject[][] = [];
	if (read.limit === undefined) {
		perWindow.push(...(await sendOptions.gate.all(windows.map((window) => async () => await readWindow(window, undefined)))));
	} else {
		let count = 0;
		for (const [index, window] of windows.entries()) {
			if (count >= read.limit) {
				// Windows the Limit left unread are counted only when asked: one record's page each.
				if (read.onTotal) for (const rest of windows.slice(index)) total += await countWindow(ctx, account, spec, rest, read, sendOptions);
				break;
			}
			const records = await readWindow(window, read.limit - count);
			perWindow.push(records);
			count += records.length;
		}
	}
	read.onTotal?.(total);
	// Neighbouring windows share their boundary second: a record filed on it is kept once. (Each
	// window's read is unique already, so one window needs no second pass.)
	const records = perWindow.length === 1 ? perWindow[0] : concatUnique(perWindow, (record) => String(record[spec.idField]));
	return read.limit !== undefined ? records.slice(0, read.limit) : records;
}

/** How many records the API holds for a window, read from a page of one. */
async function countWindow(ctx: RequestContext, account: PlatformAccount, spec: Spec, window: TimeWindow, read: ListingRead, sendOptions: ReturnType<typeof sendOptionsFor>): Promise<number> {
	const params = windowParams(spec, account, window, read);
	return (await queryPlatformPage(ctx, account, spec.endpoint, { current: 1, size: 1, params }, sendOptions)).total;
}

/** The window in the endpoint's time format, with the filters. */
function windowParams(spec: Spec, account: PlatformAccount, window: TimeWindow, read: ListingRead): IDataObject {
	const zone = spec.timeFormat === 'plain' ? account.accountClock.timeZone : read.timeZone;
	const wire = (ms: number) => formatForWire(ms, zone, spec.timeFormat);
	return { ...spec.windowParams(wire(window.startMs), wire(window.endMs)), ...read.filters };
}
