/**
 * How a Return All read of flash calls is cut. NXCloud has no pages: a cursor makes one call per
 * 100 rows, one after another. Parallel shards make it faster, but each costs at least one call
 * of its own (and usually a last one that is not full), against an API that answers code 3 when
 * an app asks too often. So a window is first read with one call; only if that call comes back
 * full is the rest cut, into as many shards as its rows' density says it needs calls, over
 * CALLS_PER_SHARD.
 */

/** Sub-windows per allowed parallel request at most: enough that a busy stretch does not leave the others idle. */
export const SHARDS_PER_REQUEST = 4;

/**
 * Calls a shard is expected to need at least: its last, partial call then adds at most a quarter
 * to what one cursor over the same rows costs.
 */
export const CALLS_PER_SHARD = 4;

/**
 * How many shards the rest of a window, [lastMs, endMs], is read in, after a first full call
 * covered [startMs, lastMs]: the calls the rest needs at that call's density, over
 * CALLS_PER_SHARD, between 1 and `maxShards`. A guess from the first rows only: a wrong one
 * costs calls or time, never records.
 */
export function restShardCount(startMs: number, lastMs: number, endMs: number, maxShards: number): number {
	const firstSpanMs = Math.max(1000, lastMs - startMs);
	const expectedCalls = Math.ceil((endMs - lastMs) / firstSpanMs);
	return Math.max(1, Math.min(maxShards, Math.floor(expectedCalls / CALLS_PER_SHARD)));
}

/** Whole-second bounds splitting [startMs, endMs] into `count` consecutive sub-windows sharing their bounds. */
export function shardBounds(startMs: number, endMs: number, count: number): number[] {
	const first = Math.floor(startMs / 1000);
	const last = Math.floor(endMs / 1000);
	const shards = Math.max(1, Math.min(count, last - first));
	return Array.from({ length: shards + 1 }, (_, i) => first + Math.round(((last - first) * i) / shards)).map((s) => s * 1000);
}
