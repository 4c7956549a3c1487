import type { IDataObject } from 'n8n-workflow';

import { foldParts } from '../shared/foldParts';
import type { Listing, ListingRead, RecordFold } from '../shared/listing';
import type { Clocks, FieldConverter, RecordShape } from '../shared/recordShape';
import { FieldError, defineShape, shapeRecords, toDateTime, toDecimal } from '../shared/recordShape';
import type { SummarySpec } from '../shared/summarize/spec';
import { UNSPECIFIED_CURRENCY, keyField, timeDimensions } from '../shared/summarize/spec';
import type { CursorOptions } from '../transport/cursorPaging';
import { readByCursor, streamByCursor } from '../transport/cursorPaging';
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

/** What a read of flash calls asks of NXCloud: the account, the shaping, a cursor over a part of the window. */
async function flashCallRead(ctx: RequestContext, itemIndex: number, read: ListingRead) {
	const account = await getNxCloudAccount(ctx, itemIndex);
	const send = sendOptionsFor(read, itemIndex);
	// The window's wall-clock text spans every wall time it shows (ZoneClock.plainWindow).
	const wall = (startMs: number, endMs: number) => account.apiClock.plainWindow(startMs, endMs);
	const cursor = (limit?: number): CursorOptions => ({
		fetch: async (from, to) => await queryFlashCalls(ctx, account, from, to, send),
		timeOf: (row) => String(row.gmtCreate ?? ''),
		timeZone: account.apiClock.timeZone,
		idOf: (row) => String(row.id),
		pageSize: FLASH_CALL_PAGE_SIZE,
		limit,
	});
	const shape = flashCallShape({ account: account.apiClock, output: new ZoneClock(read.timeZone) });
	const shaped = (rows: RawRecord[]) => shapeRecords(ctx, rows, shape, 'id', itemIndex, read.markBadRecords);
	// Return All splits the window into sub-windows read by cursor in parallel.
	const shards = () => {
		const bounds = shardBounds(read.startMs, read.endMs, read.concurrency * SHARDS_PER_REQUEST);
		return bounds.slice(1).map((endMs, i) => ({ startMs: bounds[i], endMs }));
	};
	return { account, wall, cursor, shaped, shards, gate: send.gate };
}

/**
 * Reads a window of flash-call CDRs. Return All reads the shards in parallel and joins them in
 * time order (the same rows, in the same order, as one cursor over the whole window); a Limit
 * reads one cursor from the start until it has enough.
 */
async function readFlashCalls(ctx: RequestContext, itemIndex: number, read: ListingRead): Promise<IDataObject[]> {
	const { wall, cursor, shaped, shards, gate } = await flashCallRead(ctx, itemIndex, read);
	let rows: RawRecord[];
	if (read.limit !== undefined) {
		rows = await readByCursor(...wall(read.startMs, read.endMs), cursor(read.limit));
	} else {
		const parts = await gate.all(shards().map((shard) => async () => await readByCursor(...wall(shard.startMs, shard.endMs), cursor())));
		// Neighbouring shards share their boundary second: keep each row once, in time order.
		rows = concatUnique(parts, (row) => String(row.id));
	}
	return read.rawOutput ? rows : shaped(rows);
}

/** Folds every flash call of a window as each cursor call's rows arrive, the shards in parallel. */
async function foldFlashCalls<S>(ctx: RequestContext, itemIndex: number, read: ListingRead, fold: RecordFold<S>): Promise<S> {
	const { account, wall, cursor, shaped, shards, gate } = await flashCallRead(ctx, itemIndex, read);
	return await foldParts({
		fold,
		parts: shards(),
		// A cursor reads its shard once: one pass.
		readPart: async (shard, startPass) => {
			const take = startPass();
			await streamByCursor(...wall(shard.startMs, shard.endMs), cursor(), (rows) => take(shaped(rows)));
		},
		runAll: async (tasks) => await gate.all(tasks),
		timeOf: (record) => Date.parse(String(record.gmtCreate)),
		idOf: (record) => String(record.id),
		// Shards are asked as wall-clock text in NXCloud's zone: across the autumn change they overlap
		// over the repeated hour, and a cursor moving back into it reads rows again.
		wallClock: account.apiClock,
	});
}

/**
 * What Summarize reports of flash calls. A flash call is dropped before it is answered, and the
 * document defines no answer, so there is no ASR or ACD: the calls, those that rang the handset
 * (callStartAt set), and the price. NXCloud names no currency for `price`: its sums come under "unspecified".
 */
export const flashCallSummary: SummarySpec = {
	figuresText: 'calls, calls that rang (no ASR or ACD: a flash call is dropped before it is answered), cost',
	rang: {
		rule: 'a flash call with a Call Start time (callStartAt): the call reached the handset',
		test: (record) => typeof record.callStartAt === 'string',
	},
	cost: (record) => (typeof record.price === 'number' ? { currency: UNSPECIFIED_CURRENCY, amount: record.price } : null),
	dimensions: {
		number: { description: 'The calling number the flash call showed (callingNumber)', key: keyField('callingNumber') },
		...timeDimensions('gmtCreate'),
	},
};

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
	fold: foldFlashCalls,
	summary: flashCallSummary,
};
