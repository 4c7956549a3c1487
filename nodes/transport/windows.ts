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
