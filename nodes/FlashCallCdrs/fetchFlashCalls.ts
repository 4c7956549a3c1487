import type { IDataObject } from 'n8n-workflow';

import type { GetManyInputs } from '../shared/getManyInputs';
import { sendOptionsFor } from '../shared/getManyInputs';
import type { Clocks } from '../shared/recordFields';
import { normalizeRecords } from '../shared/recordFields';
import { CursorOrderError, CursorStallError, readByCursor } from '../transport/cursorPaging';
import type { RequestContext } from '../transport/http';
import { failure, toNodeError } from '../transport/http';
import type { NxCloudAccount } from '../transport/nxcloudClient';
import { FLASH_CALL_PAGE_SIZE, queryFlashCalls } from '../transport/nxcloudClient';
import type { RawRecord } from '../transport/paginate';
import { ZoneClock } from '../transport/time';
import { concatUnique } from '../transport/uniqueById';
import { flashCallSchema } from './flashCallSchema';

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
export async function fetchFlashCalls(
	ctx: RequestContext,
	itemIndex: number,
	inputs: GetManyInputs,
	account: NxCloudAccount,
): Promise<IDataObject[]> {
	const send = sendOptionsFor(inputs, itemIndex);
	const { gate } = send;
	const text = (ms: number) => account.apiClock.toPlain(ms);
	const cursor = (start: number, end: number, limit?: number) =>
		readByCursor(text(start), text(end), {
			fetch: async (from, to) => await queryFlashCalls(ctx, account, from, to, send),
			timeOf: (row) => String(row.gmtCreate ?? ''),
			idOf: (row) => String(row.id),
			pageSize: FLASH_CALL_PAGE_SIZE,
			limit,
		});

	let rows: RawRecord[];
	try {
		if (inputs.limit !== undefined) {
			rows = await cursor(inputs.startMs, inputs.endMs, inputs.limit);
		} else {
			const bounds = shardBounds(inputs.startMs, inputs.endMs, inputs.concurrency * SHARDS_PER_REQUEST);
			const shards = await gate.all(bounds.slice(1).map((end, i) => async () => await cursor(bounds[i], end)));
			// Neighbouring shards share their boundary second: keep each row once, in time order.
			rows = concatUnique(shards, (row) => String(row.id));
		}
	} catch (error) {
		if (error instanceof CursorStallError) {
			throw failure(
				ctx,
				{
					message: `100 or more flash calls share the second ${error.second} (${account.apiClock.timeZone}); the API cannot page past it`,
					description:
						'NXCloud returns at most 100 rows per call and pages by whole seconds, so the rest of that second cannot be read. Nothing was returned rather than an incomplete result. Ask NXCloud for an export of that second, or end the window before it.',
				},
				itemIndex,
			);
		}
		if (error instanceof CursorOrderError) throw failure(ctx, { message: error.message, description: 'Run again; if it persists, contact NXCloud.' }, itemIndex);
		throw toNodeError(ctx, error, itemIndex);
	}
	if (inputs.rawOutput) return rows;
	const clocks: Clocks = { account: account.apiClock, output: new ZoneClock(inputs.timeZone) };
	return normalizeRecords(ctx, rows, flashCallSchema(clocks), 'id', itemIndex);
}
