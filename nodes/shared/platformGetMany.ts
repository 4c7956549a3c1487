import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RequestContext, SendOptions } from '../transport/http';
import { failure, toNodeError } from '../transport/http';
import { InconsistentPagingError, paginate } from '../transport/paginate';
import type { RawRecord } from '../transport/paginate';
import type { PlatformAccount } from '../transport/platformClient';
import { getPlatformAccount, queryPlatformPage } from '../transport/platformClient';
import type { PlatformEndpoint } from '../transport/platforms';
import type { WireTimeFormat } from '../transport/time';
import { ZoneClock, formatForWire } from '../transport/time';
import type { TimeWindow } from '../transport/windows';
import { concatUnique } from '../transport/uniqueById';
import { splitWindow } from '../transport/windows';
import type { GetManyInputs } from './getManyInputs';
import { sendOptionsFor } from './getManyInputs';
import type { Clocks, RecordSchema } from './recordFields';
import { normalizeRecords } from './recordFields';

/** How one signed endpoint is queried and its records shaped. */
export interface PlatformListing {
	endpoint: PlatformEndpoint;
	/** `iso-offset` is absolute; `plain` is written in the account's time zone, as the API reads it. */
	timeFormat: WireTimeFormat;
	/** The request's `params` for one window, already formatted for the wire. */
	windowParams: (start: string, end: string) => IDataObject;
	/** Further `params` (filters) read from the node and checked before any request. */
	readQuery?: (ctx: IExecuteFunctions, itemIndex: number) => IDataObject;
	/** The longest window the API accepts; longer ones are split. */
	maxWindowMs?: number;
	idField: string;
	recordSchema: (clocks: Clocks) => RecordSchema;
}

export function pagingError(ctx: RequestContext, error: InconsistentPagingError, itemIndex: number) {
	return failure(
		ctx,
		{
			message: error.message,
			description:
				'The provider changed or repeated pages while they were read, so the result would be incomplete. Run again; if it persists, narrow the time window and contact the provider.',
		},
		itemIndex,
	);
}

/** Reads one window, all pages (or up to `limit`). */
async function readWindow(
	ctx: RequestContext,
	account: PlatformAccount,
	listing: PlatformListing,
	window: TimeWindow,
	query: IDataObject,
	inputs: GetManyInputs,
	sendOptions: SendOptions,
	limit: number | undefined,
	shape: (records: RawRecord[]) => IDataObject[],
): Promise<IDataObject[]> {
	const zone = listing.timeFormat === 'plain' ? account.accountClock.timeZone : inputs.timeZone;
	const params = {
		...listing.windowParams(formatForWire(window.startMs, zone, listing.timeFormat), formatForWire(window.endMs, zone, listing.timeFormat)),
		...query,
	};
	return await paginate<IDataObject>({
		fetchPage: async (current, size) => await queryPlatformPage(ctx, account, listing.endpoint, { current, size, params }, sendOptions),
		// Each page is shaped as it is joined, so the raw records do not pile up until the end.
		convert: shape,
		idOf: (record) => String(record[listing.idField]),
		limit,
		concurrency: inputs.concurrency,
	});
}

/**
 * Reads a window from a signed endpoint, with inputs and filters already checked: the window
 * split to what the API accepts (newest first, like the records), all pages, shaped records.
 * With Return All the windows are read in parallel (one gate bounds the requests of all of
 * them); with a Limit they are read newest first until it is reached.
 */
export async function getManyFromPlatform(
	ctx: RequestContext,
	itemIndex: number,
	listing: PlatformListing,
	inputs: GetManyInputs,
	query: IDataObject = {},
): Promise<IDataObject[]> {
	const account = await getPlatformAccount(ctx, itemIndex);
	const sendOptions = sendOptionsFor(inputs, itemIndex);
	const { gate } = sendOptions;
	const windows = listing.maxWindowMs
		? splitWindow(inputs.startMs, inputs.endMs, listing.maxWindowMs)
		: [{ startMs: inputs.startMs, endMs: inputs.endMs }];

	const clocks: Clocks = { account: account.accountClock, output: new ZoneClock(inputs.timeZone) };
	const schema = listing.recordSchema(clocks);
	const shape = inputs.rawOutput
		? (records: RawRecord[]) => records
		: (records: RawRecord[]) => normalizeRecords(ctx, records, schema, listing.idField, itemIndex);
	const perWindow: IDataObject[][] = [];
	try {
		if (inputs.limit === undefined) {
			perWindow.push(...(await gate.all(windows.map((w) => async () => await readWindow(ctx, account, listing, w, query, inputs, sendOptions, undefined, shape)))));
		} else {
			let count = 0;
			for (const window of windows) {
				if (count >= inputs.limit) break;
				const records = await readWindow(ctx, account, listing, window, query, inputs, sendOptions, inputs.limit - count, shape);
				perWindow.push(records);
				count += records.length;
			}
		}
	} catch (error) {
		if (error instanceof InconsistentPagingError) throw pagingError(ctx, error, itemIndex);
		throw toNodeError(ctx, error, itemIndex);
	}

	// Neighbouring windows share their boundary second: a record filed on it is kept once. (Each
	// window's read is unique already, so one window needs no second pass.)
	const records = perWindow.length === 1 ? perWindow[0] : concatUnique(perWindow, (record) => String(record[listing.idField]));
	return inputs.limit !== undefined ? records.slice(0, inputs.limit) : records;
}
