/**
 * The trigger's memory between polls, kept in the workflow's static data. Exactly-once rests on
 * these rules: each poll reads from the cursor minus a look-back (records are filed after the
 * call ends, sometimes late) up to now minus a settle delay, and every Look-Back's worth of
 * cursor movement one poll (the sweep) reads from the cursor minus the Long-Call Look-Back
 * instead; a record is emitted only if its id is not among those seen; an id is remembered
 * against the later of its own time and the end of the window that returned it, and forgotten
 * only once no later window can start that early; and all of this is counted in whole seconds,
 * the resolution of the APIs (see `wholeSecond`).
 */

/**
 * The APIs take and return whole seconds: a window sent from 18:41:52.400 reaches them as
 * 18:41:52 and returns that second's records. So window bounds and the forgetting limit are
 * rounded down to the second here, never compared in milliseconds against record times; an id
 * is forgotten only once no later query can return it.
 */
export function wholeSecond(ms: number): number {
	return Math.floor(ms / 1000) * 1000;
}

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
	/** The cursor the last sweep started from. */
	sweptMs?: number;
	/** While catching up: how far past the cursor the next poll reads first. */
	spanMs?: number;
	/** Records whose recording failed transiently, held back: on how many polls, since when. */
	failing?: Record<string, { polls: number; sinceMs: number }>;
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
	// passed its time is then later than a sweep covers anyway.
	const sweep =
		settings.longLookBackMs > settings.lookBackMs &&
		endMs - state.cursorMs <= settings.longLookBackMs &&
		state.cursorMs - (state.sweptMs ?? state.floorMs) >= sweepEveryMs(settings);
	const back = sweep ? settings.longLookBackMs : settings.lookBackMs;
	const untilMs = catchingUp ? Math.min(endMs, wholeSecond(state.cursorMs + (state.spanMs ?? FIRST_PART_MS))) : endMs;
	return { fromMs: wholeSecond(Math.max(state.floorMs, state.cursorMs - back)), untilMs, endMs, sweep };
}

/**
 * The window grown by the next part when what was read so far held fewer new records than a
 * poll emits: as far past the cursor as their density suggests a poll's worth lies, at most
 * twice as far. Undefined when the poll has read enough.
 */
export function nextPart(state: PollState, window: PollWindow, freshCount: number, settings: PollSettings): { part: { fromMs: number; untilMs: number }; window: PollWindow } | undefined {
	if (window.untilMs >= window.endMs || freshCount >= settings.maxPerPoll) return undefined;
	const read = Math.max(MIN_SPAN_MS, window.untilMs - state.cursorMs);
	const growth = freshCount > 0 ? Math.min(2, Math.max(1.1, (SPAN_SLACK * settings.maxPerPoll) / freshCount)) : 2;
	const span = read * growth;
	const untilMs = Math.min(window.endMs, wholeSecond(state.cursorMs + span));
	return { part: { fromMs: window.untilMs, untilMs }, window: { ...window, untilMs } };
}

/** State for a first activation: from now (less the settle delay), or from a backfill start. */
export function initialState(source: string, nowMs: number, settings: Pick<PollSettings, 'settleMs'>, backfillFromMs?: number): PollState {
	const start = wholeSecond(backfillFromMs ?? nowMs - settings.settleMs);
	return { source, cursorMs: start, floorMs: start, seen: {} };
}

/** Records a poll has not emitted before (and may emit: not older than the floor), as `advance` counts them. */
export function freshCount<T>(state: PollState, records: Array<PolledRecord<T>>, matches: (record: T) => boolean = () => true): number {
	const floor = wholeSecond(state.floorMs);
	return records.filter((r) => !(r.id in state.seen) && r.timeMs >= floor && matches(r.record)).length;
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
	const edgeBefore = window.endMs - (reachMs(settings) - sweepEveryMs(settings));
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
	const forgetBefore = wholeSecond(cursorMs - reachMs(settings));
	for (const [id, keptUntil] of Object.entries(seen)) if (keptUntil < forgetBefore) delete seen[id];

	const next: PollState = { source: state.source, cursorMs, floorMs: state.floorMs, seen };
	// A held record only a sweep reaches is read again by the next poll's sweep.
	const sweptMs = window.sweep && heldMs >= wholeSecond(cursorMs - settings.lookBackMs) ? state.cursorMs : state.sweptMs;
	if (sweptMs !== undefined) next.sweptMs = sweptMs;
	// Still behind: the next poll reads about as far past its cursor as held the records this one emitted.
	if (capMs !== undefined) next.spanMs = Math.max(MIN_SPAN_MS, SPAN_SLACK * (capMs - state.cursorMs));
	else if (window.untilMs < window.endMs) next.spanMs = Math.max(MIN_SPAN_MS, window.untilMs - state.cursorMs);
	return { emit, edge, next };
}
