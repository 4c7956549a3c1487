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
import type { TimeWindow } from '../transport/windows';
import { SHARDS_PER_REQUEST, restShardCount, shardBounds } from './shards';

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

/** A part of a window read by one cursor: its bounds, and the texts its calls send for them. */
interface Shard extends TimeWindow {
	start: string;
	end: string;
}

/** A Return All read after its first call: that call's rows, the part they cover, the shards left to read. */
interface ReadPlan {
	first: RawRecord[];
	firstPart: TimeWindow;
	rest: Shard[];
}

/** Why the rest of a crowded second is not read, for a record's recordError and the log. */
const crowdedReason = (second: string, timeZone: string) =>
	`100 or more flash calls share the second ${second} (${timeZone}), and NXCloud returns at most 100 rows a call and pages by whole seconds, so any further calls of that second could not be read`;

/** What a read of flash calls asks of NXCloud: the account, the shaping, a cursor over a part of the window. */
async function flashCallRead(ctx: RequestContext, itemIndex: number, read: ListingRead) {
	const account = await getNxCloudAccount(ctx, itemIndex);
	const send = sendOptionsFor(read, itemIndex);
	const { timeZone } = account.apiClock;
	// The window's wall-clock text spans every wall time it shows (ZoneClock.plainWindow).
	const wall = (startMs: number, endMs: number) => account.apiClock.plainWindow(startMs, endMs);
	const fetch = async (from: string, to: string) => await queryFlashCalls(ctx, account, from, to, send);
	const timeOf = (row: RawRecord) => String(row.gmtCreate ?? '');
	const idOf = (row: RawRecord) => String(row.id);
	// The trigger reads on past a second it cannot page past (its records marked); other reads fail on it.
	const crowded = new Set<string>();
	const cursor = (limit?: number): CursorOptions => ({
		fetch,
		timeOf,
		timeZone,
		idOf,
		pageSize: FLASH_CALL_PAGE_SIZE,
		limit,
		onCrowdedSecond: read.markBadRecords ? (second) => crowded.add(second) : undefined,
	});
	const shape = flashCallShape({ account: account.apiClock, output: new ZoneClock(read.timeZone) });
	const shaped = (rows: RawRecord[]) => shapeRecords(ctx, rows, shape, 'id', itemIndex, read.markBadRecords);

	// Return All: one call over the whole window; only if it comes back full is the rest cut into shards (shards.ts).
	const plan = async (): Promise<ReadPlan> => {
		const first = await fetch(...wall(read.startMs, read.endMs));
		if (first.length < FLASH_CALL_PAGE_SIZE) return { first, firstPart: { startMs: read.startMs, endMs: read.endMs }, rest: [] };
		const last = timeOf(first[first.length - 1]);
		const lastMs = Math.min(read.endMs, Math.max(read.startMs, account.apiClock.parseWall(last) ?? read.startMs));
		const bounds = shardBounds(lastMs, read.endMs, restShardCount(read.startMs, lastMs, read.endMs, read.concurrency * SHARDS_PER_REQUEST));
		const rest = bounds.slice(1).map((endMs, i) => {
			const [start, end] = wall(bounds[i], endMs);
			// The first shard starts on the last row's second as sent, so no wall time after it is skipped.
			return { startMs: bounds[i], endMs, start: i === 0 ? last : start, end };
		});
		return { first, firstPart: { startMs: read.startMs, endMs: lastMs }, rest };
	};

	// The records of a crowded second carry why in recordError, and the read is told of each such second.
	const output = (rows: RawRecord[]): IDataObject[] => {
		const times = crowded.size > 0 ? rows.map(timeOf) : [];
		const ids = rows.map(idOf);
		const out = read.rawOutput ? rows : shaped(rows);
		for (const second of crowded) {
			const reason = crowdedReason(second, timeZone);
			const marked: string[] = [];
			out.forEach((record, i) => {
				if (times[i] !== second) return;
				marked.push(ids[i]);
				const note = `Record id ${JSON.stringify(ids[i])} is one of the flash calls read on a crowded second: ${reason}.`;
				record.recordError = typeof record.recordError === 'string' ? `${record.recordError} ${note}` : note;
			});
			read.onCrowdedSecond?.({ second, timeZone, ids: marked, reason });
		}
		return out;
	};
	return { account, wall, cursor, idOf, shaped, plan, output, gate: send.gate };
}

/**
 * Reads a window of flash-call CDRs. Return All reads the window's first call, then the shards
 * of the rest in parallel, and joins them in time order (the same rows, in the same order, as
 * one cursor over the whole window); a Limit reads one cursor from the start until it has enough.
 */
async function readFlashCalls(ctx: RequestContext, itemIndex: number, read: ListingRead): Promise<IDataObject[]> {
	const { wall, cursor, idOf, plan, output, gate } = await flashCallRead(ctx, itemIndex, read);
	if (read.limit !== undefined) return output(await readByCursor(...wall(read.startMs, read.endMs), cursor(read.limit)));
	const { first, rest } = await plan();
	const parts = await gate.all(rest.map((shard) => async () => await readByCursor(shard.start, shard.end, cursor())));
	// Neighbouring parts share their boundary second: keep each row once, in time order.
	return output(concatUnique([first, ...parts], idOf));
}

/** Folds every flash call of a window as each call's rows arrive: the first call, then the shards in parallel. */
async function foldFlashCalls<S>(ctx: RequestContext, itemIndex: number, read: ListingRead, fold: RecordFold<S>): Promise<S> {
	const { account, cursor, shaped, plan, gate } = await flashCallRead(ctx, itemIndex, read);
	const { first, firstPart, rest } = await plan();
	return await foldParts({
		fold,
		parts: [firstPart, ...rest],
		// A cursor reads its shard once: one pass. Summarize fails on a crowded second, as Get Many does.
		readPart: async (part, startPass) => {
			const take = startPass();
			const shard = rest.find((s) => s === part);
			if (!shard) return take(shaped(first));
			await streamByCursor(shard.start, shard.end, { ...cursor(), onCrowdedSecond: undefined }, (rows) => take(shaped(rows)));
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
	figuresText: 'calls, calls that rang and cost; no ASR or ACD (flash calls are dropped unanswered)',
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
