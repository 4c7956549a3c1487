/**
 * The trigger's memory between polls, kept in the workflow's static data. Exactly-once rests on
 * four rules: each poll reads from the cursor minus a look-back (records are filed after the
 * call ends, sometimes late) up to now minus a settle delay; a record is emitted only if its id
 * is not among those seen; the cursor never moves back, so ids older than cursor - look-back can
 * never be read again and are forgotten; and all of this is counted in whole seconds, the
 * resolution of the APIs (see `wholeSecond`).
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

export interface PollState {
	/** What the state belongs to; a different source starts afresh. */
	source: string;
	/** Records up to here have been read (epoch ms). */
	cursorMs: number;
	/** Nothing older than this is ever emitted: the activation time or the backfill start. */
	floorMs: number;
	/** Ids emitted (or passed over by the emit filter) that a future window can still contain, with their times. */
	seen: Record<string, number>;
}

export interface PollSettings {
	lookBackMs: number;
	settleMs: number;
	maxPerPoll: number;
}

export interface PolledRecord<T> {
	id: string;
	timeMs: number;
	record: T;
}

/** The window a poll reads, both ends inclusive, in whole seconds. */
export function pollWindow(state: PollState, nowMs: number, settings: PollSettings): { fromMs: number; untilMs: number } {
	return {
		fromMs: wholeSecond(Math.max(state.floorMs, state.cursorMs - settings.lookBackMs)),
		untilMs: wholeSecond(Math.max(state.cursorMs, nowMs - settings.settleMs)),
	};
}

/** State for a first activation: from now (less the settle delay), or from a backfill start. */
export function initialState(source: string, nowMs: number, settings: PollSettings, backfillFromMs?: number): PollState {
	const start = wholeSecond(backfillFromMs ?? nowMs - settings.settleMs);
	return { source, cursorMs: start, floorMs: start, seen: {} };
}

/**
 * Decides what a poll emits and the state after it. New records are taken oldest first; past
 * `maxPerPoll` emitted ones the rest wait (unseen) for the next poll, and the cursor stops short
 * of them. `matches` picks what is emitted; what it passes over is remembered as seen.
 */
export function advance<T>(
	state: PollState,
	records: Array<PolledRecord<T>>,
	window: { fromMs: number; untilMs: number },
	settings: PollSettings,
	matches: (record: T) => boolean = () => true,
): { emit: T[]; next: PollState } {
	const fresh = records
		.filter((r) => !(r.id in state.seen) && r.timeMs >= wholeSecond(state.floorMs))
		.map((r, index) => ({ r, index }))
		.sort((a, b) => a.r.timeMs - b.r.timeMs || a.index - b.index)
		.map(({ r }) => r);
	const seen = { ...state.seen };
	const emit: T[] = [];
	let stopMs: number | undefined;
	for (const polled of fresh) {
		if (emit.length >= settings.maxPerPoll) {
			stopMs = polled.timeMs;
			break;
		}
		if (matches(polled.record)) emit.push(polled.record);
		seen[polled.id] = polled.timeMs;
	}
	const cursorMs = Math.max(state.cursorMs, stopMs ?? window.untilMs);
	// The next window starts at wholeSecond(cursor - look-back) at the earliest: keep all it can return.
	const forgetBefore = wholeSecond(cursorMs - settings.lookBackMs);
	for (const [id, timeMs] of Object.entries(seen)) if (timeMs < forgetBefore) delete seen[id];
	return { emit, next: { ...state, cursorMs, seen } };
}
