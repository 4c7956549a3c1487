import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { readRecords } from '../shared/listing';
import { wholeSecond } from '../transport/time';
import { appendNew } from '../transport/uniqueById';
import type { PollState, PollWindow, PolledRecord } from './pollState';
import { nextPart, partCounts, rawPerPoll, sweepStopped } from './pollState';
import { PollBudget, READ_SHARE } from './pollBudget';
import type { TriggerOptions } from './triggerOptions';

/** A listing that reports no totals sweeps an hour first, then as far as the records read suggest. */
const FIRST_SWEEP_SLICE_MS = 3_600_000;

/** A polled record's id (appendNew adds records one by one: a read may hold more than a call's arguments can, spread). */
const idOf = (record: PolledRecord<IDataObject>) => record.id;

/**
 * Reads a poll's window. A sweep's own seconds (before the Look-Back window) are read first, in
 * slices (see `readSweep`); a sweep that n8n's poll budget stops there returns what it read, and
 * the next poll goes on from there. Then the rest of the window. While catching up it is read in
 * parts, each reaching further past the cursor, until it holds a poll's worth of new records,
 * Max Records per Poll × RAW_PER_POLL_FACTOR records in all, or the poll has spent its share of
 * n8n's poll budget. Before a catch-up part is read, a listing that reports totals is asked how
 * many records the part holds (one request for one record), and a part that would pass the bound
 * is cut shorter; so a catch-up poll reads at most that many records, unless a single second past
 * the cursor holds more. Returns the records and the window they cover.
 */
export async function readWindow(
	ctx: IPollFunctions,
	trigger: TriggerOptions,
	state: PollState,
	first: PollWindow,
	budget: PollBudget,
): Promise<{ polled: Array<PolledRecord<IDataObject>>; window: PollWindow }> {
	if (first.sweepUntilMs === undefined) return await readAhead(ctx, trigger, state, first, budget, []);
	const swept = await readSweep(ctx, trigger, { fromMs: first.fromMs, untilMs: first.sweepUntilMs }, budget);
	// The rest of the window waits for the next poll too if a read as long as the sweep's last slice would pass the share.
	if (swept.reachedMs < first.sweepUntilMs || budget.spent(READ_SHARE, swept.lastSliceMs)) {
		const where = swept.reachedMs < first.sweepUntilMs ? `reached ${new Date(swept.reachedMs).toISOString()}; it goes on from there` : 'is done';
		ctx.logger.info(`${ctx.getNode().name}: the sweep (Long-Call Look-Back) took this poll's share of n8n's poll budget and ${where}; newer records are read on the next poll`);
		return { polled: swept.polled, window: sweepStopped(first, swept.reachedMs) };
	}
	return await readAhead(ctx, trigger, state, first, budget, swept.polled);
}

/** The window from the end of its sweep (or its start), with catch-up parts, after the records `polled` so far. */
async function readAhead(
	ctx: IPollFunctions,
	trigger: TriggerOptions,
	state: PollState,
	first: PollWindow,
	budget: PollBudget,
	polled: Array<PolledRecord<IDataObject>>,
): Promise<{ polled: Array<PolledRecord<IDataObject>>; window: PollWindow }> {
	const { settings, matches } = trigger;
	const rawBound = rawPerPoll(settings);
	let window = first;
	const fromMs = window.sweepUntilMs ?? window.fromMs;
	if (window.catchingUp) {
		const minUntilMs = Math.min(window.untilMs, wholeSecond(state.cursorMs) + 1000);
		window = { ...window, untilMs: await fitPart(ctx, trigger, { fromMs, untilMs: window.untilMs }, minUntilMs, rawBound) };
	}
	// The raw bound is the catch-up's own: a sweep read before it (bounded by its slices) is not counted against it.
	const swept = polled.length;
	const counts = () => ({ ...partCounts(state, polled, matches), raw: polled.length - swept });
	const ids = new Set(polled.map(idOf));
	appendNew(polled, ids, await readPolled(ctx, trigger, { fromMs, untilMs: window.untilMs }), idOf);
	for (let more = nextPart(state, window, counts(), settings); more; ) {
		if (budget.spent(READ_SHARE)) break;
		const part = { ...more.part, untilMs: await fitPart(ctx, trigger, more.part, more.part.fromMs + 1000, rawBound - (polled.length - swept)) };
		window = { ...more.window, untilMs: part.untilMs };
		appendNew(polled, ids, await readPolled(ctx, trigger, part), idOf);
		more = nextPart(state, window, counts(), settings);
	}
	return { polled, window };
}

/**
 * A sweep's own seconds, oldest first, in slices, until they are done or another slice would pass
 * the poll's share of n8n's poll budget (at least one slice is read, so every poll moves the sweep on). A
 * listing that reports totals cuts each slice to at most Max Records per Poll × RAW_PER_POLL_FACTOR
 * records by the count the API gives; one that does not (Flash Call CDRs) starts with an hour. Each
 * next slice is sized for 90 % of that bound by the density of the last (at most twice as long).
 * Returns the records, the last second read and how long the last slice took.
 */
async function readSweep(
	ctx: IPollFunctions,
	trigger: TriggerOptions,
	sweep: { fromMs: number; untilMs: number },
	budget: PollBudget,
): Promise<{ polled: Array<PolledRecord<IDataObject>>; reachedMs: number; lastSliceMs: number }> {
	const rawBound = rawPerPoll(trigger.settings);
	const polled: Array<PolledRecord<IDataObject>> = [];
	const ids = new Set<string>();
	let fromMs = sweep.fromMs;
	let spanMs = trigger.listing.newestFirst ? sweep.untilMs - sweep.fromMs : FIRST_SWEEP_SLICE_MS;
	// Another slice is begun only if one as long as the last would end within the share.
	let lastMs = -1;
	while (fromMs < sweep.untilMs && (lastMs < 0 || !budget.spent(READ_SHARE, lastMs))) {
		const startedMs = performance.now();
		const untilMs = Math.max(Math.min(sweep.untilMs, fromMs + 1000), wholeSecond(Math.min(sweep.untilMs, fromMs + spanMs)));
		const slice = { fromMs, untilMs: await fitPart(ctx, trigger, { fromMs, untilMs }, Math.min(untilMs, fromMs + 1000), rawBound) };
		const read = await readPolled(ctx, trigger, slice);
		appendNew(polled, ids, read, idOf);
		spanMs = Math.max(1000, (slice.untilMs - slice.fromMs) * (read.length > 0 ? Math.min(2, (0.9 * rawBound) / read.length) : 2));
		// Slices touch on their last second: a record filed there between the two reads is not missed.
		fromMs = slice.untilMs;
		lastMs = performance.now() - startedMs;
	}
	return { polled, reachedMs: Math.min(fromMs, sweep.untilMs), lastSliceMs: Math.max(lastMs, 0) };
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

/** How many records a window holds, as the API reports it with a first page of one record (one per API window). */
async function countOf(ctx: IPollFunctions, trigger: TriggerOptions, part: { fromMs: number; untilMs: number }): Promise<number | undefined> {
	let total: number | undefined;
	await readRecords(ctx, 0, trigger.listing, {
		...trigger.read,
		recordings: undefined,
		startMs: part.fromMs,
		endMs: part.untilMs,
		limit: 1,
		// A part longer than one API window (voice: 31 days) is counted whole, each window by a page of one.
		countUnread: true,
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
