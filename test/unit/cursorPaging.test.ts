/**
 * Cursor paging past a crowded second (pure helper, a fake API of text-timed rows), and the rule
 * that sizes flash-call shards.
 */
import { CALLS_PER_SHARD, restShardCount } from '../../nodes/FlashCallCdrs/shards';
import { CursorStallError, nextSecond, streamByCursor } from '../../nodes/transport/cursorPaging';

type Row = { id: string; t: string };
const at = (second: number) => `2024-05-01 00:00:${String(second).padStart(2, '0')}`;

/** Rows per second as given, oldest first; a call returns at most `pageSize` rows from its start second on. */
function api(perSecond: number[], pageSize: number) {
	const rows: Row[] = perSecond.flatMap((count, second) => Array.from({ length: count }, (_, i) => ({ id: `s${second}r${i}`, t: at(second) })));
	const calls: string[] = [];
	const fetch = async (start: string, end: string) => {
		calls.push(start);
		return rows.filter((r) => r.t >= start && r.t <= end).slice(0, pageSize);
	};
	return { rows, calls, fetch };
}

async function read(perSecond: number[], onCrowdedSecond?: (second: string) => void) {
	const { rows, calls, fetch } = api(perSecond, 10);
	const out: string[] = [];
	const options = { fetch, timeOf: (row: Record<string, unknown>) => String(row.t), idOf: (row: Record<string, unknown>) => String(row.id), timeZone: 'UTC', pageSize: 10, onCrowdedSecond };
	await streamByCursor(at(0), at(perSecond.length - 1), options, (fresh) => {
		out.push(...fresh.map((r) => String(r.id)));
	});
	return { rows, calls, out };
}

describe('streamByCursor past a crowded second', () => {
	test('without onCrowdedSecond a full call that never leaves its second fails, naming it', async () => {
		await expect(read([3, 4, 15, 2])).rejects.toThrow(new CursorStallError(at(2), 'UTC').message);
	});

	test('with it, the rows the API returns for that second are read once, the second is told, and the cursor goes on', async () => {
		const told: string[] = [];
		const { rows, out, calls } = await read([3, 9, 15, 2, 4], (second) => told.push(second));
		expect(told).toEqual([at(2)]);
		expect(out).toHaveLength(new Set(out).size);
		// Every row but the crowded second's beyond the first 10 the API returns for it.
		const crowdedServed = rows.filter((r) => r.t === at(2)).slice(0, 10);
		expect(out.sort()).toEqual(rows.filter((r) => r.t !== at(2)).concat(crowdedServed).map((r) => r.id).sort());
		expect(calls).toContain(at(3));
	});

	test('a crowded second that ends the window ends the read', async () => {
		const told: string[] = [];
		const { calls } = await read([2, 12], (second) => told.push(second));
		expect(told).toEqual([at(1)]);
		expect(calls).toEqual([at(0), at(1)]);
	});

	test('nextSecond counts on wall-clock text across a day and a year', () => {
		expect(nextSecond('2024-12-31 23:59:59')).toBe('2025-01-01 00:00:00');
		expect(nextSecond('2024-02-28 23:59:59')).toBe('2024-02-29 00:00:00');
		expect(nextSecond('2024-02-28T23:59:59')).toBeUndefined();
	});
});

describe('restShardCount', () => {
	const H = 3_600_000;
	test('one shard when the rest needs fewer than CALLS_PER_SHARD × 2 calls at the first call’s density', () => {
		// The first 100 rows took 10 minutes of a 16-minute window: the rest needs about one call.
		expect(restShardCount(0, 10 * 60_000, 16 * 60_000, 16)).toBe(1);
		expect(restShardCount(0, H, (2 * CALLS_PER_SHARD - 1) * H + H, 16)).toBe(1);
	});
	test('more shards as the rest needs more calls, never more than allowed', () => {
		expect(restShardCount(0, H, 1 + 8 * CALLS_PER_SHARD * H, 16)).toBe(8);
		expect(restShardCount(0, 1000, 86_400_000, 16)).toBe(16);
		// The first rows all on the window's first second: as many as allowed.
		expect(restShardCount(0, 0, 86_400_000, 12)).toBe(12);
	});
});
