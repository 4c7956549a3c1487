/**
 * Voice records are served for the most recent two months only (status -25 beyond). We check
 * before sending, with a margin so a request is never refused because our clock and the
 * provider's read "two months ago" a few seconds apart.
 */
export const HORIZON_MARGIN_MS = 10 * 60_000;

/** Two calendar months before `nowMs` (UTC), plus the margin. */
export function earliestVoiceStartMs(nowMs: number): number {
	const date = new Date(nowMs);
	date.setUTCMonth(date.getUTCMonth() - 2);
	return date.getTime() + HORIZON_MARGIN_MS;
}
