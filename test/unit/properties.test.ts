/** Property-based tests (fast-check) of window splitting, response parsing, paging and the trigger's state. */
import fc from 'fast-check';

import { advance, initialState, nextPart, partCounts, pollWindow, sweepEveryMs, sweepStopped } from '../../nodes/CallRecordsTrigger/pollState';
import type { PollState, PolledRecord, PollSettings } from '../../nodes/CallRecordsTrigger/pollState';
import { toDateTime, toDecimal } from '../../nodes/shared/recordShape';
import { readByCursor } from '../../nodes/transport/cursorPaging';
import type { Page, RawRecord } from '../../nodes/transport/paginate';
import { InconsistentPagingError, paginate, streamPages } from '../../nodes/transport/paginate';
import { ZoneClock } from '../../nodes/transport/time';
import { DAY_MS, splitWallWindow, splitWindow } from '../../nodes/transport/windows';
import type { Row } from './filingListing';
import { filingListing } from './filingListing';

const ZONES = ['UTC', 'Asia/Shanghai', 'Asia/Kolkata', 'America/Sao_Paulo', 'Asia/Kathmandu'];

describe('splitWindow', () => {
	test('covers the window exactly, newest first, no part longer than the limit, neighbours touching', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 4e12 }),
				fc.integer({ min: 1, max: 400 * DAY_MS }),
				fc.integer({ min: 3_600_000, max: 100 * DAY_MS }),
				(start, span, max) => {
					const windows = splitWindow(start, start + span, max);
					const shapes = windows.every((w, i) => w.endMs > w.startMs && w.endMs - w.startMs <= max && (i === 0 || w.endMs === windows[i - 1].startMs));
					return (
						shapes &&
						windows[0].endMs === start + span &&
						windows[windows.length - 1].startMs === start &&
						windows.length === Math.ceil(span / max)
					);
				},
			),
		);
	});
});

describe('splitWallWindow: windows sent as wall-clock text', () => {
	// Daylight saving both ways, 30- and 45-minute offsets, a 30-minute change (Lord Howe), a skipped day (Apia, 2011).
	const WALL_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Adelaide', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Pacific/Apia'];
	const wallOf = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
	const LIMIT = 93 * DAY_MS;
	// One clock per zone for all runs: its offset cache makes the runs cheap, and it is what the nodes use.
	const clocks = new Map(WALL_ZONES.map((zone) => [zone, new ZoneClock(zone)]));

	test('each part is within the limit absolutely and on the account clocks; parts touch, with no gap; the texts cover every instant', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...WALL_ZONES),
				// Whole seconds, in 2011 (Apia skipped a day) or 2023 to 2026; spans up to 400 days.
				fc.oneof(fc.integer({ min: 1_293_840_000, max: 1_338_508_800 }), fc.integer({ min: 1_672_531_200, max: 1_767_225_600 })),
				fc.integer({ min: 1, max: 400 * 86_400 }),
				fc.constantFrom(LIMIT, 31 * DAY_MS),
				(zone, startSeconds, spanSeconds, limit) => {
					const clock = clocks.get(zone)!;
					const start = startSeconds * 1000;
					const end = start + spanSeconds * 1000;
					const parts = splitWallWindow(clock, start, end, limit);
					expect(parts[0].endMs).toBe(end);
					expect(parts[parts.length - 1].startMs).toBe(start);
					const texts = parts.map((part) => clock.plainWindow(part.startMs, part.endMs));
					parts.forEach((part, i) => {
						const [from, to] = texts[i];
						expect(part.endMs - part.startMs).toBeLessThanOrEqual(limit);
						expect(wallOf(to) - wallOf(from)).toBeLessThanOrEqual(limit);
						expect(wallOf(to)).toBeGreaterThanOrEqual(wallOf(from));
						// Every instant of the part shows a wall time inside its texts: its ends, and both sides of each change.
						const instants = [part.startMs, part.endMs, ...clock.offsetChanges(part.startMs, part.endMs).flatMap((c) => [c.atMs - 1000, c.atMs])];
						for (const ms of instants.filter((t) => t >= part.startMs && t <= part.endMs)) {
							const shown = wallOf(clock.toPlain(ms));
							expect(shown >= wallOf(from) && shown <= wallOf(to)).toBe(true);
						}
						if (i > 0) {
							// Newest first: this part ends where the newer one starts, in time and on the clocks.
							expect(part.endMs).toBe(parts[i - 1].startMs);
							expect(wallOf(texts[i - 1][0])).toBeLessThanOrEqual(wallOf(to));
						}
					});
					// Parts are cut shorter only by what the clocks' changes take: no more parts than one per limit plus one per change.
					expect(parts.length).toBeLessThanOrEqual(Math.ceil((end - start) / limit) + clock.offsetChanges(start, end).length);
				},
			),
			{ numRuns: 150 },
		);
	});

	test('in Europe/Berlin, a part across the spring change is an hour short of 93 days; across the autumn change, 93 days on the clocks', () => {
		const clock = new ZoneClock('Europe/Berlin');
		const spring = splitWallWindow(clock, Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-05-01T00:00:00Z'), LIMIT).reverse()[0];
		expect(spring.endMs - spring.startMs).toBe(LIMIT - 3_600_000);
		const [from, to] = clock.plainWindow(spring.startMs, spring.endMs);
		expect([from, to]).toEqual(['2024-01-01 01:00:00', '2024-04-03 01:00:00']);
		const autumn = splitWallWindow(clock, Date.parse('2024-09-01T00:00:00Z'), Date.parse('2025-01-01T00:00:00Z'), LIMIT).reverse()[0];
		expect(autumn.endMs - autumn.startMs).toBe(LIMIT);
		const [autumnFrom, autumnTo] = clock.plainWindow(autumn.startMs, autumn.endMs);
		expect(wallOf(autumnTo) - wallOf(autumnFrom)).toBe(LIMIT - 3_600_000);
	});

	test('a window inside the repeated autumn hour is sent as that whole hour, start before end', () => {
		const clock = new ZoneClock('Europe/Berlin');
		// 02:30 summer time to 02:10 winter time: the end shows an earlier wall time than the start.
		expect(clock.plainWindow(Date.parse('2024-10-27T00:30:00Z'), Date.parse('2024-10-27T01:10:00Z'))).toEqual(['2024-10-27 02:00:00', '2024-10-27 02:59:59']);
		expect(new ZoneClock('Australia/Adelaide').plainWindow(Date.parse('2024-04-06T16:00:00Z'), Date.parse('2024-04-06T16:40:00Z'))).toEqual([
			'2024-04-07 02:00:00',
			'2024-04-07 02:59:59',
		]);
		// Away from a change the texts are just the two ends.
		expect(clock.plainWindow(Date.parse('2024-07-01T00:00:00Z'), Date.parse('2024-07-02T00:00:00Z'))).toEqual(['2024-07-01 02:00:00', '2024-07-02 02:00:00']);
	});
});

describe('response parsing', () => {
	test('money and rates sent as strings read back as the same number', () => {
		fc.assert(
			fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }), (n) => {
				// === rather than Object.is: "-0" and "0" are the same amount.
				return toDecimal(String(n)) === n && toDecimal(n) === n;
			}),
		);
		expect(toDecimal('')).toBeNull();
		expect(() => toDecimal('12,5')).toThrow('expected a number');
		expect(() => toDecimal('abc')).toThrow('expected a number');
	});

	test('an offset-less API time in any account zone comes out as the same instant, with the workflow offset', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 946_684_800, max: 4_102_444_800 }),
				fc.constantFrom(...ZONES),
				fc.constantFrom(...ZONES),
				(seconds, accountZone, outputZone) => {
					const account = new ZoneClock(accountZone);
					const output = new ZoneClock(outputZone);
					const ms = seconds * 1000;
					const dateTime = toDateTime({ account, output });
					const iso = dateTime(account.toPlain(ms));
					expect(Date.parse(iso as string)).toBe(ms);
					expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
					// ISO input with any offset, and Unix seconds, land on the same instant too.
					expect(dateTime(account.toIso(ms))).toBe(iso);
					expect(dateTime(String(seconds))).toBe(iso);
				},
			),
		);
	});
});

describe('paginate', () => {
	test('whatever the size, limit, parallelism and pages that overlap: every row once in order, or a loud error', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 700 }),
				fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
				fc.integer({ min: 1, max: 8 }),
				fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 3 }),
				async (total, limit, concurrency, shiftedPages) => {
					const rows = Array.from({ length: total }, (_, i) => ({ id: `r${i}` }));
					const fetchPage = async (page: number, size: number): Promise<Page<{ id: string }>> => {
						// A shifted page starts one row early, as after an insertion above it.
						const from = Math.max(0, (page - 1) * size - (shiftedPages.includes(page) ? 1 : 0));
						return { records: rows.slice(from, from + size), total, pages: Math.ceil(total / size) };
					};
					let out: Array<{ id: string }>;
					try {
						out = await paginate({ fetchPage, idOf: (r) => r.id, limit, concurrency });
					} catch (error) {
						// Overlapping pages without a larger total cannot all be read: that must be said, not hidden.
						expect(error).toBeInstanceOf(InconsistentPagingError);
						expect(shiftedPages.length).toBeGreaterThan(0);
						return;
					}
					if (limit === undefined || shiftedPages.length === 0) {
						expect(out).toEqual(limit === undefined ? rows : rows.slice(0, limit));
					} else {
						// A limited read over inconsistent pages: still the full count, real rows, none twice.
						expect(out).toHaveLength(Math.min(limit, total));
						expect(new Set(out.map((r) => r.id)).size).toBe(out.length);
						expect(out.every((r) => Number(r.id.slice(1)) < total)).toBe(true);
					}
				},
			),
			{ numRuns: 150 },
		);
	});
});

describe('trigger state', () => {
	test('any stream of records filed late (past the look-back too), any poll times and durations (overlapping polls skipped), caps, failures, either selection time, and settings changed between polls (Look-Back, Long-Call Look-Back, Max Records per Poll, an emit filter): each record emitted at most once, and every one the design covers emitted', () => {
		// One setting of the trigger: look-back seconds, Long-Call Look-Back past it (none: no sweeps), cap, and whether only even-numbered records are emitted.
		const variant = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.option(fc.integer({ min: 60, max: 1_800 }), { nil: undefined }), fc.integer({ min: 1, max: 50 }), fc.boolean());
		fc.assert(
			fc.property(
				// Records on whole seconds (the APIs' resolution), many of them on a window's boundary second.
				fc.array(fc.tuple(fc.integer({ min: 0, max: 3_600 }), fc.integer({ min: 0, max: 2_000_000 }), fc.boolean()), { maxLength: 300 }),
				// Each poll: the gap since the last one started, how long it runs, whether it fails, whether the user changed to the next setting before it, and
				// where n8n's poll budget stops a sweep (a share of its seconds, 100: after the sweep, before the rest; none: not stopped).
				fc.array(
					fc.tuple(fc.integer({ min: 1, max: 240_000 }), fc.integer({ min: 0, max: 500_000 }), fc.boolean(), fc.boolean(), fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined })),
					{ minLength: 1, maxLength: 80 },
				),
				fc.integer({ min: 0, max: 999 }),
				variant,
				// Settings the user changes to between polls (none: the settings never change).
				fc.array(variant, { maxLength: 2 }),
				fc.boolean(),
				(stream, polls, startOffsetMs, firstVariant, laterVariants, byFiling) => {
					const variants = [firstVariant, ...laterVariants].map(([lookBackSeconds, longExtraSeconds, maxPerPoll, evenOnly]) => ({
						settings: {
							lookBackMs: lookBackSeconds * 1000,
							settleMs: 30_000,
							maxPerPoll,
							longLookBackMs: longExtraSeconds === undefined ? 0 : (lookBackSeconds + longExtraSeconds) * 1000,
						} satisfies PollSettings,
						matches: (id: string) => !evenOnly || Number(id.slice(1)) % 2 === 0,
						evenOnly,
					}));
					// Half the records filed at most the shortest look-back late, the others up to 2,000 s late.
					const shortestLookBackMs = Math.min(...variants.map((v) => v.settings.lookBackMs));
					const records = stream.map(([at, delay, withinLookBack], i) => {
						const timeMs = 60_000 + at * 1000;
						const lateMs = withinLookBack ? delay % (shortestLookBackMs + 1) : delay;
						return { id: `c${i}`, timeMs, filedMs: timeMs + lateMs };
					});
					let now = 60_000 + startOffsetMs;
					let state = initialState('s', now, variants[0].settings);
					const emitted: string[] = [];
					const used = new Set<number>();
					let runningUntil = -Infinity;
					let lastRead: number | undefined;
					let longestGap = 0;
					let longestStep = 0;
					// Each sweep as it started: its own seconds and when.
					const sweeps: Array<{ fromMs: number; untilMs: number; atMs: number }> = [];
					const step = (durationMs: number, fails: boolean, which: number, sweepStop?: number) => {
						// A poll that starts while the previous one runs is skipped and changes nothing.
						if (now < runningUntil) return;
						runningUntil = now + durationMs;
						if (fails) return; // a failed poll changes nothing
						if (lastRead !== undefined) longestGap = Math.max(longestGap, now - lastRead);
						lastRead = now;
						used.add(which);
						const { settings, matches } = variants[which];
						let window = pollWindow(state, now, settings);
						const visibleIn = (part: { fromMs: number; untilMs: number }) =>
							records
								// The API sees the window as whole seconds, both ends inclusive, selecting by the call's start or the record's filing.
								.filter((r) => r.filedMs <= now && (byFiling ? r.filedMs : r.timeMs) >= part.fromMs && (byFiling ? r.filedMs : r.timeMs) <= part.untilMs)
								.map((r) => ({ id: r.id, timeMs: r.timeMs, record: r.id }));
						const visible: Array<PolledRecord<string>> = [];
						const add = (part: { fromMs: number; untilMs: number }) => {
							const known = new Set(visible.map((r) => r.id));
							for (const r of visibleIn(part)) if (!known.has(r.id)) visible.push(r);
						};
						// A sweep reads its own seconds first; the budget may stop it after any slice (a second on at least), or once it is done.
						const sweepUntilMs = window.sweepUntilMs;
						if (sweepUntilMs !== undefined && state.sweepFromMs === undefined) sweeps.push({ fromMs: window.fromMs, untilMs: sweepUntilMs, atMs: now });
						if (sweepUntilMs !== undefined && sweepStop !== undefined) {
							const reachedMs = Math.min(sweepUntilMs, Math.max(window.fromMs + 1000, window.fromMs + Math.floor(((sweepUntilMs - window.fromMs) * sweepStop) / 100_000) * 1000));
							add({ fromMs: window.fromMs, untilMs: reachedMs });
							window = sweepStopped(window, reachedMs);
						} else {
							if (sweepUntilMs !== undefined) add({ fromMs: window.fromMs, untilMs: sweepUntilMs });
							add({ fromMs: sweepUntilMs ?? window.fromMs, untilMs: window.untilMs });
							for (let more = nextPart(state, window, partCounts(state, visible, matches), settings); more; ) {
								window = more.window;
								add(more.part);
								more = nextPart(state, window, partCounts(state, visible, matches), settings);
							}
						}
						const { emit, next } = advance(state, visible, window, settings, matches);
						emitted.push(...emit);
						longestStep = Math.max(longestStep, next.cursorMs - state.cursorMs);
						state = next;
					};
					let inForce = 0;
					for (const [gap, duration, fails, change, sweepStop] of polls) {
						now += gap;
						if (change) inForce = (inForce + 1) % variants.length;
						step(duration, fails, inForce, sweepStop);
					}
					// Then keep polling every minute until everything filed is past the settle delay and the cap has drained.
					for (let i = 0; i < 400; i++) {
						now += 60_000;
						step(0, false, inForce);
					}
					expect(emitted).toHaveLength(new Set(emitted).size);
					const floorMs = Math.floor((60_000 + startOffsetMs - variants[0].settings.settleMs) / 1000) * 1000;
					const started = records.filter((r) => r.timeMs >= floorMs);
					expect(emitted.every((id) => started.some((r) => r.id === id))).toBe(true);
					// Covered: records every emit filter used lets through, filed within the look-back (the shortest used); with one setting and sweeps, within the
					// Long-Call Look-Back less one sweep interval and the longest gap between polls that ran or cursor step of a poll (a sweep the budget stopped
					// holds the cursor back, and the poll after it moves it on further); any, when the API selects by filing.
					const { settings } = variants[[...used][0]];
					const coveredLateMs =
						used.size === 1 && settings.longLookBackMs > settings.lookBackMs ? settings.longLookBackMs - sweepEveryMs(settings) - Math.max(longestGap, longestStep) - 2_000 : 0;
					const everyFilter = (id: string) => [...used].every((which) => variants[which].matches(id));
					const covered = started.filter((r) => everyFilter(r.id) && (byFiling || r.filedMs - r.timeMs <= Math.max(shortestLookBackMs, coveredLateMs)));
					const missing = covered.filter((r) => !emitted.includes(r.id));
					expect(missing).toEqual([]);
					// With one setting, a sweep once started reads all its seconds (over as many polls as the budget takes): every record of them filed
					// by then is emitted.
					if (used.size === 1) {
						const swept = started.filter((r) =>
							sweeps.some((w) => r.filedMs <= w.atMs && (byFiling ? r.filedMs : r.timeMs) >= w.fromMs && (byFiling ? r.filedMs : r.timeMs) <= w.untilMs),
						);
						expect(swept.filter((r) => everyFilter(r.id) && !emitted.includes(r.id))).toEqual([]);
					}
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe('a sweep stopped by the poll budget', () => {
	test('goes on from where it stopped on the next polls before the cursor moves, then reads on; every record of its seconds is emitted once', () => {
		const settings: PollSettings = { lookBackMs: 15 * 60_000, settleMs: 60_000, maxPerPoll: 1_000, longLookBackMs: 6 * 3_600_000 };
		const C = Date.parse('2025-06-01T12:00:00Z');
		let state: PollState = { source: 's', cursorMs: C, floorMs: C - 7 * 3_600_000, seen: {}, memoryFromMs: C - 7 * 3_600_000, sweptMs: C - 20 * 60_000 };
		// 60 calls in the sweep's seconds, filed late (none seen yet), and 5 newer ones.
		const records = Array.from({ length: 65 }, (_, i) => ({ id: `r${i}`, timeMs: i < 60 ? C - 6 * 3_600_000 + 60_000 + i * 5 * 60_000 : C + i * 1_000, record: `r${i}` }));
		const visibleIn = (fromMs: number, untilMs: number) => records.filter((r) => r.timeMs >= fromMs && r.timeMs <= untilMs);
		const emitted: string[] = [];
		const now = C + 3 * 60_000;
		const starts: number[] = [];
		for (const stopShare of [0.2, 0.5, undefined]) {
			let window = pollWindow(state, now, settings);
			expect(window.sweepUntilMs).toBe(C - settings.lookBackMs);
			starts.push(window.fromMs);
			let read;
			if (stopShare !== undefined) {
				const reachedMs = window.fromMs + Math.floor(((window.sweepUntilMs! - window.fromMs) * stopShare) / 1000) * 1000;
				read = visibleIn(window.fromMs, reachedMs);
				window = sweepStopped(window, reachedMs);
			} else read = visibleIn(window.fromMs, window.untilMs);
			const { emit, next } = advance(state, read, window, settings);
			emitted.push(...emit);
			if (stopShare !== undefined) {
				expect(next.cursorMs).toBe(C);
				expect(next.sweepFromMs).toBe(window.untilMs);
			} else {
				expect(next.sweepFromMs).toBeUndefined();
				expect(next.sweptMs).toBe(C);
				expect(next.cursorMs).toBe(window.endMs);
			}
			state = next;
		}
		// Each poll started where the one before stopped.
		expect(starts[0]).toBe(C - settings.longLookBackMs);
		expect(starts[1]).toBeGreaterThan(starts[0]);
		expect(starts[2]).toBeGreaterThan(starts[1]);
		expect([...emitted].sort()).toEqual(records.map((r) => r.id).sort());
		// The next poll is no sweep.
		expect(pollWindow(state, now + 60_000, settings).sweepUntilMs).toBeUndefined();
	});
});

describe('a sweep stopped inside its seconds by Max Records per Poll or a held record', () => {
	const settings: PollSettings = { lookBackMs: 15 * 60_000, settleMs: 60_000, maxPerPoll: 10, longLookBackMs: 6 * 3_600_000 };
	const C = Date.parse('2025-06-01T12:00:00Z');
	const start = (): PollState => ({ source: 's', cursorMs: C, floorMs: C - 7 * 3_600_000, seen: {}, memoryFromMs: C - 7 * 3_600_000, sweptMs: C - 20 * 60_000 });
	// 30 calls filed late into the sweep's seconds, a minute apart from five hours back.
	const records = Array.from({ length: 30 }, (_, i) => ({ id: `r${i}`, timeMs: C - 5 * 3_600_000 + i * 60_000, record: `r${i}` }));
	const now = C + 3 * 60_000;
	const poll = (state: PollState, held = new Set<string>()) => {
		const window = pollWindow(state, now, settings);
		const read = records.filter((r) => r.timeMs >= window.fromMs && r.timeMs <= window.untilMs);
		return { window, ...advance(state, read, window, settings, () => true, held) };
	};

	test('the cap: the next polls sweep on from the first record it left, until every one is emitted once', () => {
		let state = start();
		const emitted: string[] = [];
		for (let i = 0; i < 3; i++) {
			const { window, emit, next } = poll(state);
			expect(window.sweepUntilMs).toBeDefined();
			expect(emit).toHaveLength(10);
			emitted.push(...emit);
			// The cursor waits while the sweep goes on; the poll that finishes it reads on.
			if (i < 2) expect(next.sweepFromMs).toBe(records[10 * (i + 1)].timeMs);
			expect(next.cursorMs).toBe(i < 2 ? C : window.endMs);
			state = next;
		}
		expect(emitted.sort()).toEqual(records.map((r) => r.id).sort());
		expect(state.sweepFromMs).toBeUndefined();
		expect(pollWindow(state, now + 60_000, settings).sweepUntilMs).toBeUndefined();
	});

	test('a held record: the sweep goes on from it, and it is emitted once it is no longer held', () => {
		const held = new Set([records[4].id]);
		const first = poll(start(), held);
		expect(first.emit).toHaveLength(9);
		expect(first.next.sweepFromMs).toBe(records[4].timeMs);
		const second = poll(first.next);
		expect(second.window.fromMs).toBe(records[4].timeMs);
		expect([...first.emit, ...second.emit].filter((id) => id === records[4].id)).toHaveLength(1);
		expect(second.emit).toContain(records[4].id);
	});
});

describe('reads while records are filed into the listing', () => {
	// Newest-first listings of up to 3,000 records (30 pages), records filed at random times before
	// requests are served (none, up to one per request, or up to 5 per request, past the
	// stated bound), requests served and answered out of order.
	const filing = () =>
		fc.record({
			seed: fc.integer(),
			initial: fc.integer({ min: 0, max: 3_000 }),
			rate: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1, max: 5, noNaN: true })),
			concurrency: fc.integer({ min: 1, max: 16 }),
		});
	const once = (ids: string[], initialIds: string[]) => {
		expect(ids).toHaveLength(new Set(ids).size);
		const got = new Set(ids);
		expect(initialIds.filter((id) => !got.has(id))).toEqual([]);
	};
	const idOf = (row: Row) => row.id;

	test('paginate: every record present throughout once, whatever the filing rate; never fails', async () => {
		await fc.assert(
			fc.asyncProperty(filing(), async ({ seed, initial, rate, concurrency }) => {
				const listing = filingListing({ seed, initial, rate });
				const out = await paginate({ fetchPage: listing.fetchPage, idOf, concurrency });
				once(out.map(idOf), listing.initialIds);
			}),
			{ numRuns: 120 },
		);
	});

	test('paginate with a Limit: as many records as asked (or all there were), each once; never fails', async () => {
		await fc.assert(
			fc.asyncProperty(filing(), fc.integer({ min: 1, max: 3_500 }), async ({ seed, initial, rate, concurrency }, limit) => {
				const listing = filingListing({ seed, initial, rate });
				const out = (await paginate({ fetchPage: listing.fetchPage, idOf, concurrency, limit })).map(idOf);
				expect(out).toHaveLength(new Set(out).size);
				expect(out.length).toBeLessThanOrEqual(limit);
				expect(out.length).toBeGreaterThanOrEqual(Math.min(limit, initial));
			}),
			{ numRuns: 120 },
		);
	});

	test('streamPages: every record present throughout once in the pass that completes; never fails', async () => {
		await fc.assert(
			fc.asyncProperty(filing(), async ({ seed, initial, rate, concurrency }) => {
				const listing = filingListing({ seed, initial, rate });
				let pass: string[] = [];
				await streamPages({ fetchPage: listing.fetchPage, idOf, concurrency }, () => {
					pass = [];
					return (records) => pass.push(...records.map(idOf));
				});
				once(pass, listing.initialIds);
			}),
			{ numRuns: 120 },
		);
	});

	test('cursor paging (oldest first, shards read in parallel): every record present throughout once; never fails', async () => {
		await fc.assert(
			fc.asyncProperty(filing(), async ({ seed, initial, rate, concurrency }) => {
				// Seconds over a day: 3,000 records leave no second near the 100 rows a call returns.
				const span = 86_400;
				const listing = filingListing({ seed, initial, rate, span });
				const text = (t: number) => String(t).padStart(6, '0');
				const shard = Math.ceil(span / concurrency);
				const shards = Array.from({ length: concurrency }, (_, i) => [i * shard, Math.min(span, (i + 1) * shard) - 1]);
				const parts = await Promise.all(
					shards.map(async ([from, to]) =>
						(
							await readByCursor(text(from), text(to), {
								fetch: async (start, end) => (await listing.fetchByTime(100)(Number(start), Number(end))) as unknown as RawRecord[],
								timeOf: (row) => text(Number(row.t)),
								idOf: (row) => String(row.id),
								timeZone: 'UTC',
								pageSize: 100,
							})
						).map((row) => String(row.id)),
					),
				);
				once(parts.flat(), listing.initialIds);
			}),
			{ numRuns: 120 },
		);
	});

	test('an API that loses a record with nothing filed still fails loudly (paginate and streamPages; a cursor API reports no total to check against)', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer(), fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 16 }), fc.nat(), async (seed, initial, concurrency, which) => {
				const lost = () => filingListing({ seed, initial, rate: 0 }).initialIds[which % initial];
				const paged = filingListing({ seed, initial, rate: 0, lose: lost() });
				await expect(paginate({ fetchPage: paged.fetchPage, idOf, concurrency })).rejects.toBeInstanceOf(InconsistentPagingError);
				const streamed = filingListing({ seed, initial, rate: 0, lose: lost() });
				await expect(streamPages({ fetchPage: streamed.fetchPage, idOf, concurrency }, () => () => undefined)).rejects.toBeInstanceOf(
					InconsistentPagingError,
				);
			}),
			{ numRuns: 60 },
		);
	});
});
