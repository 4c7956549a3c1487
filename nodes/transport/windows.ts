import type { ZoneClock } from './time';

/** A time window, both ends inclusive, in epoch milliseconds. */
export interface TimeWindow {
	startMs: number;
	endMs: number;
}

/**
 * Splits [startMs, endMs] into consecutive windows of at most `maxSpanMs`, newest first (the
 * order the APIs list records in, so concatenating the windows keeps that order). Neighbours
 * share their boundary instant: whether an API's ends are inclusive or not, no record falls
 * between two windows, and one read twice is dropped by its id.
 */
export function splitWindow(startMs: number, endMs: number, maxSpanMs: number): TimeWindow[] {
	if (!(maxSpanMs > 0)) throw new RangeError('maxSpanMs must be positive');
	const windows: TimeWindow[] = [];
	for (let from = startMs; from < endMs; from += maxSpanMs) {
		windows.push({ startMs: from, endMs: Math.min(endMs, from + maxSpanMs) });
	}
	if (windows.length === 0) windows.push({ startMs, endMs });
	return windows.reverse();
}

export const DAY_MS = 86_400_000;

/**
 * Splits [startMs, endMs] like splitWindow, for an API that reads windows as wall-clock text in
 * `clock`'s zone: each part is at most `maxSpanMs` both in absolute time and on the zone's
 * clocks (wallSpan), so a part across the spring change is an hour shorter than the limit rather
 * than an hour over it. Neighbours share their boundary instant.
 */
export function splitWallWindow(clock: ZoneClock, startMs: number, endMs: number, maxSpanMs: number): TimeWindow[] {
	if (!(maxSpanMs > 1000)) throw new RangeError('maxSpanMs must be over a second');
	const windows: TimeWindow[] = [];
	const over = (from: number, to: number) => {
		const { startWallMs, endWallMs } = clock.wallSpan(from, to);
		return Math.max(to - from, endWallMs - startWallMs) - maxSpanMs;
	};
	let from = startMs;
	do {
		let to = Math.min(endMs, from + maxSpanMs);
		// The wall span shrinks with the part: take off what it is over until it fits.
		for (let excess = over(from, to); excess > 0; excess = over(from, to)) to -= Math.max(1000, excess);
		if (to <= from) throw new RangeError('maxSpanMs is shorter than a change of the clocks');
		windows.push({ startMs: from, endMs: to });
		from = to;
	} while (from < endMs);
	return windows.reverse();
}
