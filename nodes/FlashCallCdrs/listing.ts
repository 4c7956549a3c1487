import type { IDataObject } from 'n8n-workflow';

import type { Listing, ListingRead } from '../shared/listing';
import type { Clocks, FieldConverter, RecordShape } from '../shared/recordShape';
import { FieldError, defineShape, shapeRecords, toDateTime, toDecimal } from '../shared/recordShape';
import { readByCursor } from '../transport/cursorPaging';
import type { RequestContext } from '../transport/http';
import { sendOptionsFor } from '../transport/http';
import { FLASH_CALL_PAGE_SIZE, getNxCloudAccount, queryFlashCalls } from '../transport/nxcloudApi';
import type { RawRecord } from '../transport/paginate';
import { ZoneClock } from '../transport/time';
import { concatUnique } from '../transport/uniqueById';

const rowId: FieldConverter = (value) => {
	if ((typeof value === 'string' && value !== '') || typeof value === 'number') return value;
	throw new FieldError('expected a row id');
};

/** A flash-call CDR shaped for workflows: price as a number, times as ISO 8601; callStatus kept as sent. */
export function flashCallShape(clocks: Clocks): RecordShape {
	const dateTime = toDateTime(clocks);
	return defineShape(
		{
			id: rowId,
			price: toDecimal,
			gmtCreate: dateTime,
			gmtModified: dateTime,
			callStartAt: dateTime,
			callEndAt: dateTime,
			callbackAt: dateTime,
		},
		{ required: ['id'] },
	);
}

/** Sub-windows per allowed parallel request: enough that a busy stretch does not leave the others idle. */
const SHARDS_PER_REQUEST = 4;

/** Whole-second bounds splitting [startMs, endMs] into `count` consecutive sub-windows sharing their bounds. */
export function shardBounds(startMs: number, endMs: number, count: number): number[] {
	const first = Math.floor(startMs / 1000);
	const last = Math.floor(endMs / 1000);
	const shards = Math.max(1, Math.min(count, last - first));
	return Array.from({ length: shards + 1 }, (_, i) => first + Math.round(((last - first) * i) / shards)).map((s) => s * 1000);
}

/**
 * Reads a window of flash-call CDRs. Return All splits it into sub-windows read by cursor in
 * parallel and joins them in time order (the same rows, in the same order, as one cursor over
 * the whole window); a Limit reads one cursor from the start until it has enough.
 */
async function readFlashCalls(ctx: RequestContext, itemIndex: number, read: ListingRead): Promise<IDataObject[]> {
	const account = await getNxCloudAccount(ctx, itemIndex);
	const send = sendOptionsFor(read, itemIndex);
	const text = (ms: number) => account.apiClock.toPlain(ms);
	const cursor = async (startMs: number, endMs: number, limit?: number) =>
		await readByCursor(text(startMs), text(endMs), {
			fetch: async (from, to) => await queryFlashCalls(ctx, account, from, to, send),
			timeOf: (row) => String(row.gmtCreate ?? ''),
			timeZone: account.apiClock.timeZone,
			idOf: (row) => String(row.id),
			pageSize: FLASH_CALL_PAGE_SIZE,
			limit,
		});

	let rows: RawRecord[];
	if (read.limit !== undefined) {
		rows = await cursor(read.startMs, read.endMs, read.limit);
	} else {
		const bounds = shardBounds(read.startMs, read.endMs, read.concurrency * SHARDS_PER_REQUEST);
		const shards = await send.gate.all(bounds.slice(1).map((end, i) => async () => await cursor(bounds[i], end)));
		// Neighbouring shards share their boundary second: keep each row once, in time order.
		rows = concatUnique(shards, (row) => String(row.id));
	}
	if (read.rawOutput) return rows;
	return shapeRecords(ctx, rows, flashCallShape({ account: account.apiClock, output: new ZoneClock(read.timeZone) }), 'id', itemIndex, read.markBadRecords);
}

/** The flash calls of an NXCloud application, listed oldest first without pages. */
export const flashCallListing: Listing = {
	name: 'Flash Call CDRs',
	credential: 'nxCloudApi',
	idField: 'id',
	timeField: 'gmtCreate',
	newestFirst: false,
	sipFields: [],
	reasonFields: [],
	read: readFlashCalls,
};
