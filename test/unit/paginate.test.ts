import { ConcurrencyGate } from '../../nodes/transport/concurrency';
import type { Page } from '../../nodes/transport/paginate';
import { FilingOutpacesPagingError, InconsistentPagingError, RECENT_IDS, mergeInOrder, paginate, streamPages } from '../../nodes/transport/paginate';
import { streamByCursor } from '../../nodes/transport/cursorPaging';
import { RecentIds } from '../../nodes/transport/uniqueById';
import { filingListing } from './filingListing';

type Row = { id: string };

/** A listing of `total` rows served page by page; `shape` may tamper with what a page holds. */
function listing(total: number, shape?: (page: number, rows: Row[], call: number) => Row[]) {
	const rows = Array.from({ length: total }, (_, i) => ({ id: `r${i}` }));
	const calls: Array<{ page: number; size: number }> = [];
	const fetchPage = async (page: number, size: number): Promise<Page<Row>> => {
		calls.push({ page, size });
		await new Promise((resolve) => setTimeout(resolve, (page * 7) % 5)); // out-of-order completion
		const slice = rows.slice((page - 1) * size, page * size);
		return { records: shape ? shape(page, slice, calls.length) : slice, total, pages: Math.ceil(total / size) };
	};
	return { rows, calls, fetchPage };
}

const idOf = (row: Row) => row.id;

describe('paginate', () => {
	test('return all joins every page in API order whatever order they finish in', async () => {
		const { rows, calls, fetchPage } = listing(1_234);
		const out = await paginate({ fetchPage, idOf, concurrency: 4 });
		expect(out).toEqual(rows);
		expect(calls.map((c) => c.page).sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
		expect(new Set(calls.map((c) => c.size))).toEqual(new Set([100]));
	});

	test('a limit asks for min(limit, 100) per page and only the pages it needs', async () => {
		const small = listing(500);
		expect(await paginate({ fetchPage: small.fetchPage, idOf, concurrency: 4, limit: 30 })).toEqual(small.rows.slice(0, 30));
		expect(small.calls).toEqual([{ page: 1, size: 30 }]);

		const large = listing(500);
		expect(await paginate({ fetchPage: large.fetchPage, idOf, concurrency: 4, limit: 250 })).toEqual(large.rows.slice(0, 250));
		expect(large.calls.map((c) => c.page).sort()).toEqual([1, 2, 3]);
	});

	test('a limit beyond the data returns everything there is', async () => {
		const { rows, fetchPage } = listing(42);
		expect(await paginate({ fetchPage, idOf, concurrency: 2, limit: 1_000 })).toEqual(rows);
	});

	test('rows that shift onto the next page are dropped, not repeated', async () => {
		// Each later page starts with the previous page's last row, as when a row is inserted above.
		const rows = Array.from({ length: 300 }, (_, i) => ({ id: `r${i}` }));
		const fetchPage = async (page: number, size: number): Promise<Page<Row>> => {
			const from = Math.max(0, (page - 1) * size - (page - 1));
			return { records: rows.slice(from, from + size), total: 300, pages: 4 };
		};
		expect(await paginate({ fetchPage, idOf, concurrency: 3 })).toEqual(rows);
	});

	test('an empty page before the last is re-read, and the result is still complete', async () => {
		const { rows, fetchPage } = listing(450, (page, slice, call) => (page === 3 && call <= 5 ? [] : slice));
		expect(await paginate({ fetchPage, idOf, concurrency: 4 })).toEqual(rows);
	});

	test('a page that keeps repeating its neighbour fails instead of returning a short result', async () => {
		const { fetchPage } = listing(450, (page, slice) => (page === 3 ? [{ id: 'r100' }] : slice));
		await expect(paginate({ fetchPage, idOf, concurrency: 4 })).rejects.toBeInstanceOf(InconsistentPagingError);
	});

	test('the first failing page fails the run and no further pages are started', async () => {
		const calls: number[] = [];
		const fetchPage = async (page: number, size: number): Promise<Page<Row>> => {
			calls.push(page);
			if (page === 5) throw new Error('page 5 failed');
			return { records: Array.from({ length: size }, (_, i) => ({ id: `${page}-${i}` })), total: 5_000, pages: 50 };
		};
		await expect(paginate({ fetchPage, idOf, concurrency: 2 })).rejects.toThrow('page 5 failed');
		expect(Math.max(...calls)).toBeLessThan(10);
	});

	test('each page is converted once, in page order, after the request that follows it has gone out', async () => {
		const rows = Array.from({ length: 1_234 }, (_, i) => ({ id: `r${i}` }));
		const log: string[] = [];
		const out = await paginate({
			// Pages finish in the order they were asked for.
			fetchPage: async (page, size) => {
				log.push(`fetch ${page}`);
				await new Promise((resolve) => setTimeout(resolve, 1));
				return { records: rows.slice((page - 1) * size, page * size), total: rows.length, pages: 13 };
			},
			convert: (records) => {
				log.push(`convert ${records[0].id}`);
				return records.map((r) => ({ id: r.id.toUpperCase() }));
			},
			idOf,
			concurrency: 2,
		});
		expect(out).toEqual(rows.map((r) => ({ id: r.id.toUpperCase() })));
		const converted = log.filter((e) => e.startsWith('convert'));
		expect(converted).toEqual(Array.from({ length: 13 }, (_, i) => `convert r${i * 100}`));
		// Page 2 in hand, its worker asks for page 4 at once; page 2 is converted on a later turn.
		expect(log.indexOf('fetch 4')).toBeGreaterThan(-1);
		expect(log.indexOf('fetch 4')).toBeLessThan(log.indexOf('convert r100'));
	});

	test('a page that fails to convert fails the run, and no further pages are started', async () => {
		const { fetchPage, calls } = listing(5_000);
		const convert = (records: Row[]) => {
			if (records[0].id === 'r400') throw new Error('page 5 does not convert');
			return records;
		};
		await expect(paginate({ fetchPage, convert, idOf, concurrency: 2 })).rejects.toThrow('page 5 does not convert');
		expect(Math.max(...calls.map((c) => c.page))).toBeLessThan(12);
	});

	test('records filed far faster than pages can be read stop the read with a clear error instead of paging for ever', async () => {
		// 50 new records per request: every page read lets more than half a page be filed.
		const listing = filingListing({ seed: 7, initial: 3_000, rate: 50 });
		await expect(paginate({ fetchPage: listing.fetchPage, idOf, concurrency: 4 })).rejects.toBeInstanceOf(FilingOutpacesPagingError);
		// About four times the pages page 1 asked for, plus the ones already in flight.
		expect(listing.requestCount()).toBeLessThan(250);
		const streamed = filingListing({ seed: 7, initial: 3_000, rate: 50 });
		await expect(streamPages({ fetchPage: streamed.fetchPage, idOf, concurrency: 16 }, () => () => undefined)).rejects.toBeInstanceOf(FilingOutpacesPagingError);
	});

	test('mergeInOrder keeps the newer order and slots older-only rows after their predecessor', () => {
		const ids = (xs: string[]) => xs.map((id) => ({ id }));
		expect(mergeInOrder(ids(['a', 'b', 'd']), ids(['x', 'a', 'c', 'd', 'e']), idOf).map(idOf)).toEqual(['x', 'a', 'c', 'b', 'd', 'e']);
	});
});

describe('streamPages', () => {
	/** Streams a listing; what each pass received, pass by pass. */
	async function stream(fetchPage: (page: number, size: number) => Promise<Page<Row>>, concurrency = 4) {
		const passes: Row[][][] = [];
		await streamPages({ fetchPage, idOf, concurrency }, () => {
			const pages: Row[][] = [];
			passes.push(pages);
			return (records) => pages.push(records);
		});
		return passes;
	}

	test('hands each page on in API order as it arrives, every record once', async () => {
		const { rows, fetchPage } = listing(1_234);
		const passes = await stream(fetchPage);
		expect(passes).toHaveLength(1);
		expect(passes[0]).toHaveLength(13);
		expect(passes[0].flat()).toEqual(rows);
	});

	test('rows that shift onto the next page are dropped by the recent ids alone', async () => {
		const rows = Array.from({ length: 300 }, (_, i) => ({ id: `r${i}` }));
		const fetchPage = async (page: number, size: number): Promise<Page<Row>> => {
			const from = Math.max(0, (page - 1) * size - (page - 1));
			return { records: rows.slice(from, from + size), total: 300, pages: 4 };
		};
		expect((await stream(fetchPage, 3)).map((pass) => pass.flat())).toEqual([rows]);
	});

	test('a short first pass is followed by a second from page 1; a short second pass fails', async () => {
		const emptyOnce = listing(450, (page, slice, call) => (page === 3 && call <= 5 ? [] : slice));
		const passes = await stream(emptyOnce.fetchPage);
		expect(passes).toHaveLength(2);
		expect(passes[1].flat()).toEqual(emptyOnce.rows);

		const broken = listing(450, (page, slice) => (page === 3 ? [{ id: 'r100' }] : slice));
		await expect(stream(broken.fetchPage)).rejects.toBeInstanceOf(InconsistentPagingError);
	});

	test('RecentIds forgets the oldest id beyond its capacity', () => {
		const recent = new RecentIds(2);
		expect([recent.add('a'), recent.add('b'), recent.add('a'), recent.add('c'), recent.add('a'), recent.add('c')]).toEqual([true, true, false, true, true, false]);
		expect(RECENT_IDS).toBeGreaterThanOrEqual(1_000);
	});
});

describe('streamByCursor', () => {
	test('the rows of the boundary second that each call repeats are handed on once', async () => {
		// Three rows per second, oldest first; each call returns at most 10 rows from its start second on.
		const rows = Array.from({ length: 95 }, (_, i) => ({ id: `r${i}`, t: `2024-05-01 00:00:${String(Math.floor(i / 3)).padStart(2, '0')}` }));
		const calls: string[] = [];
		const out: Array<Record<string, unknown>> = [];
		await streamByCursor(
			rows[0].t,
			rows[rows.length - 1].t,
			{
				fetch: async (start) => {
					calls.push(start);
					return rows.filter((r) => r.t >= start).slice(0, 10);
				},
				timeOf: (row) => String(row.t),
				idOf: (row) => String(row.id),
				timeZone: 'UTC',
				pageSize: 10,
			},
			(fresh) => {
				out.push(...fresh);
			},
		);
		expect(out.map((r) => r.id)).toEqual(rows.map((r) => r.id));
		expect(calls.length).toBeGreaterThan(10);
	});
});

describe('ConcurrencyGate', () => {
	test('never runs more tasks at once than its limit', async () => {
		const gate = new ConcurrencyGate(3);
		let active = 0;
		let peak = 0;
		await Promise.all(
			Array.from({ length: 20 }, () =>
				gate.run(async () => {
					active++;
					peak = Math.max(peak, active);
					await new Promise((resolve) => setTimeout(resolve, 2));
					active--;
				}),
			),
		);
		expect(peak).toBe(3);
	});

	test('a request refused for load as the k-th in flight drops the limit to k - 1, never below one', async () => {
		const gate = new ConcurrencyGate(8);
		let release!: () => void;
		const hold = new Promise<void>((resolve) => (release = resolve));
		const refused = Object.assign(new Error('429'), { throttled: true });
		const running = [gate.run(() => hold), gate.run(() => hold), gate.run(() => hold)];
		await expect(gate.run(async () => Promise.reject(refused))).rejects.toBe(refused);
		expect(gate.currentLimit).toBe(3);
		release();
		await Promise.all(running);
		await expect(gate.run(async () => Promise.reject(refused))).rejects.toBe(refused);
		expect(gate.currentLimit).toBe(1);
		await expect(gate.run(async () => Promise.reject(new Error('other')))).rejects.toThrow('other');
		expect(gate.currentLimit).toBe(1);
	});
});

describe('ConcurrencyGate.all', () => {
	test('a failing part closes the gate: the other parts stop at their next request', async () => {
		const gate = new ConcurrencyGate(4);
		const started: string[] = [];
		const part = (name: string, steps: number, failAt?: number) => async () => {
			for (let step = 0; step < steps; step++) {
				await gate.run(async () => {
					started.push(`${name}${step}`);
					await new Promise((resolve) => setTimeout(resolve, 5));
					if (step === failAt) throw new Error(`${name} failed`);
				});
			}
		};
		await expect(gate.all([part('a', 20), part('b', 20, 1), part('c', 20)])).rejects.toThrow('b failed');
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(started.filter((s) => s.startsWith('a')).length).toBeLessThanOrEqual(3);
		expect(started.filter((s) => s.startsWith('c')).length).toBeLessThanOrEqual(3);
	});

	test('reports the first failure in time, not an error a listed-earlier part throws after the gate closed', async () => {
		const gate = new ConcurrencyGate(4);
		// Part a is listed first but fails only after b did, as a part whose retry is cut short does.
		const a = async () => {
			await new Promise((resolve) => setTimeout(resolve, 30));
			throw new Error(gate.isClosed ? 'a stopped after the gate closed' : 'a failed on its own');
		};
		const b = async () => {
			await new Promise((resolve) => setTimeout(resolve, 5));
			throw new Error('b failed');
		};
		await expect(gate.all([a, b])).rejects.toThrow('b failed');
	});
});
