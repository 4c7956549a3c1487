/**
 * The trigger's memory between polls, kept in the workflow's static data. Exactly-once rests on
 * these rules: each poll reads from the cursor minus a look-back (records are filed after the
 * call ends, sometimes late) up to now minus a settle delay, and every Look-Back's worth of
 * cursor movement a sweep reads from the cursor minus the Long-Call Look-Back first (in slices,
 * over as many polls as n8n's poll budget needs, the cursor waiting until it is done); a record is emitted only if its id is not among those seen; an id is remembered
 * against the later of its own time and the end of the window that returned it, and forgotten
 * only once no later window can start that early; and all of this is counted in whole seconds,
 * the resolution of the APIs (see `wholeSecond`).
 */

import { wholeSecond } from '../transport/time';

/** A window reaching further ahead of the cursor than this is read in parts (a backfill, a long pause)... */
export const CATCH_UP_SPAN_MS = 6 * 3_600_000;
/** ...the first part this far past the cursor, the next ones as far as the records read so far suggest. */
const FIRST_PART_MS = 3_600_000;
const MIN_SPAN_MS = 60_000;
/** A part is sized for this much more than a poll emits, so that one read is usually enough. */
const SPAN_SLACK = 1.15;

export interface PollState {
	/** What the state belongs to; a different source starts afresh. */
	source: string;
	/** Records up to here have been read (epoch ms). */
	cursorMs: number;
	/** Nothing older than this is ever emitted: the activation time or the backfill start. */
	floorMs: number;
	/** Ids emitted (or passed over by the emit filter), each with the time until which a window can still return it. */
	seen: Record<string, number>;
	/**
	 * `seen` holds every id that a window starting at or after this second can return: ids are
	 * forgotten below it. No window starts earlier, so a wider reach set later (Look-Back,
	 * Long-Call Look-Back) grows back over the following polls instead of re-reading forgotten ids.
	 * Absent in states saved before it existed: then the reach of the settings in force.
	 */
	memoryFromMs?: number;
	/** The cursor the last sweep started from. */
	sweptMs?: number;
	/**
	 * A sweep cut short (n8n's poll budget, Max Records per Poll, a held record): the seconds from
	 * here up to the Look-Back window are still to be swept. The next polls sweep on from here
	 * before reading anything newer, so the cursor does not move and no remembered id is forgotten
	 * until the sweep is done.
	 */
	sweepFromMs?: number;
	/** While catching up: how far past the cursor the next poll reads first. */
	spanMs?: number;
	/** Records whose recording failed transiently, held back: on how many polls, since when. */
	failing?: Record<string, { polls: number; sinceMs: number }>;
	/** Counts the polls that saved this state (see `staleStates` in the node): a state read with a lower one is an older copy. */
	revision?: number;
}

export interface PollSettings {
	lookBackMs: number;
	settleMs: number;
	maxPerPoll: number;
	/** Long-Call Look-Back: how far back a sweep reads (0: no sweeps). */
	longLookBackMs: number;
}

export interface PolledRecord<T> {
	id: string;
	timeMs: number;
	record: T;
}

/** The window a poll reads, both ends inclusive, in whole seconds. */
export interface PollWindow {
	fromMs: number;
	/** Where the reading stops: `endMs`, or sooner while catching up. */
	untilMs: number;
	/** The end of what could be read now. */
	endMs: number;
	/** Whether this poll reads back the Long-Call Look-Back. */
	sweep: boolean;
	/** On a sweep: the sweep's own seconds are `fromMs` to this, read first and in slices (see `readWindow`); the rest of the window starts here. */
	sweepUntilMs?: number;
	/** Set when the poll stopped its sweep here (inclusive) and read nothing past it: the sweep goes on from here next poll, if short of `sweepUntilMs`. */
	sweepStoppedMs?: number;
	/** Whether the window is read in parts (see `nextPart`). */
	catchingUp: boolean;
}

/** How often a sweep runs, in cursor movement: every Look-Back (at least a minute). */
export function sweepEveryMs(settings: PollSettings): number {
	return Math.max(settings.lookBackMs, MIN_SPAN_MS);
}

/** The furthest back any window reaches from the cursor: what the seen ids must cover. */
function reachMs(settings: PollSettings): number {
	return Math.max(settings.lookBackMs, settings.longLookBackMs);
}

/** The window a poll reads; while catching up, only the first part of it (see `nextPart`). */
export function pollWindow(state: PollState, nowMs: number, settings: PollSettings): PollWindow {
	const endMs = wholeSecond(Math.max(state.cursorMs, nowMs - settings.settleMs));
	const catchingUp = state.spanMs !== undefined || endMs - state.cursorMs > CATCH_UP_SPAN_MS;
	// No sweep while more than a Long-Call Look-Back behind: a record not yet filed when the cursor
	// passed its time is then later than a sweep covers anyway. A sweep cut short goes on first.
	const sweep =
		settings.longLookBackMs > settings.lookBackMs &&
		(state.sweepFromMs !== undefined ||
			(endMs - state.cursorMs <= settings.longLookBackMs && state.cursorMs - (state.sweptMs ?? state.floorMs) >= sweepEveryMs(settings)));
	const untilMs = catchingUp ? Math.min(endMs, wholeSecond(state.cursorMs + (state.spanMs ?? FIRST_PART_MS))) : endMs;
	const earliest = Math.max(state.floorMs, memoryFrom(state, settings));
	const lookBackFromMs = wholeSecond(Math.max(earliest, state.cursorMs - settings.lookBackMs));
	if (!sweep) return { fromMs: lookBackFromMs, untilMs, endMs, sweep, catchingUp };
	const sweepFromMs = wholeSecond(Math.max(earliest, state.cursorMs - settings.longLookBackMs, state.sweepFromMs ?? -Infinity));
	return { fromMs: Math.min(sweepFromMs, lookBackFromMs), untilMs, endMs, sweep, sweepUntilMs: lookBackFromMs, catchingUp };
}

/** A sweep's window once the poll stopped at `reachedMs` (inclusive), having read nothing past it. */
export function sweepStopped(window: PollWindow, reachedMs: number): PollWindow {
	return { ...window, untilMs: reachedMs, sweepStoppedMs: reachedMs };
}

/** The earliest second the seen ids cover (see PollState.memoryFromMs). */
function memoryFrom(state: PollState, settings: PollSettings): number {
	return state.memoryFromMs ?? wholeSecond(state.cursorMs - reachMs(settings));
}

/**
 * A catch-up poll reads at most this many times Max Records per Poll records, whatever the emit
 * filters match (at the default, 10,000): a selective filter costs more polls, not a bigger one.
 */
export const RAW_PER_POLL_FACTOR = 10;

export function rawPerPoll(settings: Pick<PollSettings, 'maxPerPoll'>): number {
	return RAW_PER_POLL_FACTOR * settings.maxPerPoll;
}

/** What the parts read so far held: records not emitted before that would be emitted, and all records. */
export interface PartCounts {
	fresh: number;
	raw: number;
}

/**
 * The window grown by the next part when what was read so far held fewer new records than a
 * poll emits and fewer records than a poll reads: as far past the cursor as their density
 * suggests the nearer of the two lies, at most twice as far. Undefined when the poll has read enough.
 */
export function nextPart(state: PollState, window: PollWindow, counts: PartCounts, settings: PollSettings): { part: { fromMs: number; untilMs: number }; window: PollWindow } | undefined {
	const rawBound = rawPerPoll(settings);
	// Within the slack of the raw bound is near enough: another part would be small and cost a count and a read.
	if (window.untilMs >= window.endMs || counts.fresh >= settings.maxPerPoll || counts.raw * SPAN_SLACK >= rawBound) return undefined;
	const read = Math.max(MIN_SPAN_MS, window.untilMs - state.cursorMs);
	const span = read * Math.min(growth(counts.fresh, settings.maxPerPoll), growth(counts.raw, rawBound));
	const untilMs = Math.min(window.endMs, wholeSecond(state.cursorMs + span));
	return { part: { fromMs: window.untilMs, untilMs }, window: { ...window, untilMs } };
}

/** How much further to read for `target` records when `count` were found so far: 1.1 to 2 times. */
function growth(count: number, target: number): number {
	return count > 0 ? Math.min(2, Math.max(1.1, (SPAN_SLACK * target) / count)) : 2;
}

/** State for a first activation: from now (less the settle delay), or from a backfill start. */
export function initialState(source: string, nowMs: number, settings: Pick<PollSettings, 'settleMs'>, backfillFromMs?: number): PollState {
	const start = wholeSecond(backfillFromMs ?? nowMs - settings.settleMs);
	return { source, cursorMs: start, floorMs: start, seen: {}, memoryFromMs: start };
}

/** What records read so far hold: those not emitted before that may be emitted (not older than the floor, matching), as `advance` counts them, and all. */
export function partCounts<T>(state: PollState, records: Array<PolledRecord<T>>, matches: (record: T) => boolean = () => true): PartCounts {
	const floor = wholeSecond(state.floorMs);
	let fresh = 0;
	for (const r of records) if (!(r.id in state.seen) && r.timeMs >= floor && matches(r.record)) fresh++;
	return { fresh, raw: records.length };
}

/**
 * Decides what a poll emits and the state after it. New records are taken oldest first; past
 * `maxPerPoll` emitted ones the rest wait (unseen) for the next poll, and the cursor stops short
 * of them. `matches` picks what is emitted; what it passes over is remembered as seen. `held`
 * records (a recording that failed and will be tried again) count towards the cap but are
 * neither emitted nor seen, and the cursor stops short of them too. `edge` lists the emitted
 * records that arrived near the limit of what the trigger covers, or outside the window their
 * own time puts them in.
 */
export function advance<T>(
	state: PollState,
	records: Array<PolledRecord<T>>,
	window: PollWindow,
	settings: PollSettings,
	matches: (record: T) => boolean = () => true,
	held: ReadonlySet<string> = new Set(),
): { emit: T[]; edge: Array<PolledRecord<T>>; next: PollState } {
	const floor = wholeSecond(state.floorMs);
	const fresh = records
		.filter((r) => !(r.id in state.seen) && r.timeMs >= floor)
		.map((r, index) => ({ r, index }))
		.sort((a, b) => a.r.timeMs - b.r.timeMs || a.index - b.index)
		.map(({ r }) => r);
	const seen = { ...state.seen };
	const emit: T[] = [];
	const edge: Array<PolledRecord<T>> = [];
	// Measured from the cursor's side: a sweep that held the cursor back over several polls does not widen it.
	const edgeBefore = Math.min(window.endMs, state.cursorMs + sweepEveryMs(settings)) - (reachMs(settings) - sweepEveryMs(settings));
	let taken = 0;
	// Where the cap cut the poll short, and the oldest held record: the cursor stops short of both.
	let capMs: number | undefined;
	let heldMs = Infinity;
	for (const polled of fresh) {
		if (taken >= settings.maxPerPoll) {
			capMs = polled.timeMs;
			break;
		}
		if (held.has(polled.id)) {
			taken++;
			heldMs = Math.min(heldMs, polled.timeMs);
			continue;
		}
		if (matches(polled.record)) {
			emit.push(polled.record);
			taken++;
			if (polled.timeMs < window.fromMs || (window.sweep && polled.timeMs < edgeBefore)) edge.push(polled);
		}
		seen[polled.id] = Math.max(polled.timeMs, window.untilMs);
	}
	const cursorMs = Math.max(state.cursorMs, Math.min(capMs ?? Infinity, heldMs, window.untilMs));
	// Every later window starts at wholeSecond(cursor - reach) at the earliest: keep all it can return.
	// A reach narrowed since forgets more; one widened since cannot bring forgotten ids back.
	const forgetBefore = Math.max(memoryFrom(state, settings), wholeSecond(cursorMs - reachMs(settings)));
	for (const [id, keptUntil] of Object.entries(seen)) if (keptUntil < forgetBefore) delete seen[id];

	const next: PollState = { source: state.source, cursorMs, floorMs: state.floorMs, seen, memoryFromMs: forgetBefore, revision: (state.revision ?? 0) + 1 };
	const stoppedMs = window.sweepStoppedMs ?? Infinity;
	// A sweep goes on from the first second it has not done: where it stopped, or a record the cap or a hold left there.
	const sweepRestMs = Math.min(stoppedMs, capMs ?? Infinity, heldMs);
	if (window.sweepUntilMs !== undefined && sweepRestMs < window.sweepUntilMs) next.sweepFromMs = wholeSecond(sweepRestMs);
	const sweptMs = window.sweepUntilMs !== undefined && next.sweepFromMs === undefined ? state.cursorMs : state.sweptMs;
	if (sweptMs !== undefined) next.sweptMs = sweptMs;
	// Still behind: the next poll reads about as far past its cursor as held the records this one emitted.
	// A poll that stopped in its sweep, or whose cap fell at or before its cursor, learnt nothing of what lies ahead: it leaves that as it was.
	if (stoppedMs !== Infinity || (capMs !== undefined && capMs <= state.cursorMs)) {
		if (state.spanMs !== undefined) next.spanMs = state.spanMs;
	} else if (capMs !== undefined) next.spanMs = Math.max(MIN_SPAN_MS, SPAN_SLACK * (capMs - state.cursorMs));
	else if (window.untilMs < window.endMs) next.spanMs = Math.max(MIN_SPAN_MS, window.untilMs - state.cursorMs);
	return { emit, edge, next };
}
