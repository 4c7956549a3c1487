import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { readRecords } from '../shared/listing';
import { wholeSecond } from '../transport/time';
import type { PollState, PollWindow, PolledRecord } from './pollState';
import { nextPart, partCounts, rawPerPoll } from './pollState';
import { PollBudget, READ_SHARE } from './pollBudget';
import type { TriggerOptions } from './triggerOptions';

/**
 * Reads a poll's window. While catching up it is read in parts, each reaching further past the
 * cursor, until it holds a poll's worth of new records, Max Records per Poll × RAW_PER_POLL_FACTOR
 * records in all, or the poll has spent its share of n8n's poll budget. Before a catch-up part is
 * read, a listing that reports totals is asked how many records the part holds (one request for
 * one record), and a part that would pass the bound is cut shorter; so a catch-up poll reads at
 * most that many records, unless a single second past the cursor holds more. Returns the records
 * and the window they cover.
 */
export async function readWindow(
	ctx: IPollFunctions,
	trigger: TriggerOptions,
	state: PollState,
	first: PollWindow,
	budget: PollBudget,
): Promise<{ polled: Array<PolledRecord<IDataObject>>; window: PollWindow }> {
	const { settings, matches } = trigger;
	const rawBound = rawPerPoll(settings);
	let window = first;
	if (window.catchingUp) {
		const minUntilMs = Math.min(window.untilMs, wholeSecond(state.cursorMs) + 1000);
		window = { ...window, untilMs: await fitPart(ctx, trigger, window, minUntilMs, rawBound) };
	}
	const polled = await readPolled(ctx, trigger, window);
	for (let more = nextPart(state, window, partCounts(state, polled, matches), settings); more; ) {
		if (budget.spent(READ_SHARE)) break;
		const part = { ...more.part, untilMs: await fitPart(ctx, trigger, more.part, more.part.fromMs + 1000, rawBound - polled.length) };
		window = { ...more.window, untilMs: part.untilMs };
		const known = new Set(polled.map((r) => r.id));
		// One by one: a part may hold more records than a call's arguments can (spread, they overflow the stack).
		for (const record of await readPolled(ctx, trigger, part)) if (!known.has(record.id)) polled.push(record);
		more = nextPart(state, window, partCounts(state, polled, matches), settings);
	}
	return { polled, window };
}

/**
 * The end of a part cut short enough to hold at most `room` records, by what the API reports
 * (each cut at least halves the part, and it ends no sooner than `minUntilMs`). A listing that
 * reports no totals (Flash Call CDRs, read oldest first) is not asked: its parts are sized by the
 * density of the records read before them only.
 */
async function fitPart(ctx: IPollFunctions, trigger: TriggerOptions, part: { fromMs: number; untilMs: number }, minUntilMs: number, room: number): Promise<number> {
	if (!trigger.listing.newestFirst) return part.untilMs;
	let untilMs = part.untilMs;
	while (untilMs > minUntilMs) {
		const count = await countOf(ctx, trigger, { fromMs: part.fromMs, untilMs });
		if (count === undefined || count <= room) break;
		const scale = Math.min(0.5, (0.9 * Math.max(room, 0)) / count);
		untilMs = Math.max(minUntilMs, wholeSecond(part.fromMs + (untilMs - part.fromMs) * scale));
	}
	return untilMs;
}

/** How many records a window holds, as the API reports it with the first page of one record. */
async function countOf(ctx: IPollFunctions, trigger: TriggerOptions, part: { fromMs: number; untilMs: number }): Promise<number | undefined> {
	let total: number | undefined;
	await readRecords(ctx, 0, trigger.listing, {
		...trigger.read,
		recordings: undefined,
		startMs: part.fromMs,
		endMs: part.untilMs,
		limit: 1,
		onTotal: (count) => (total = count),
	});
	return total;
}

/** The window's records, each with its id and time (a record whose time does not read is timed at the window's end). */
async function readPolled(ctx: IPollFunctions, trigger: TriggerOptions, part: { fromMs: number; untilMs: number }): Promise<Array<PolledRecord<IDataObject>>> {
	const { listing } = trigger;
	const records = await readRecords(ctx, 0, listing, { ...trigger.read, startMs: part.fromMs, endMs: part.untilMs });
	return records.map((record) => {
		const timeMs = Date.parse(String(record[listing.timeField]));
		return { id: String(record[listing.idField]), timeMs: Number.isNaN(timeMs) ? part.untilMs : timeMs, record };
	});
}
