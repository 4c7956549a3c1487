import type { IDataObject } from 'n8n-workflow';

import type { ZoneClock } from '../transport/time';
import { wholeSecond } from '../transport/time';
import type { TimeWindow } from '../transport/windows';
import { DAY_MS } from '../transport/windows';
import type { RecordFold } from './listing';

/** What a pass over one part does with its records as they arrive. */
export type TakeRecords = (records: IDataObject[]) => void;

/** Reads one part, calling `startPass` as each pass over it begins (a second pass replaces the first). */
export type ReadPart = (part: TimeWindow, startPass: () => TakeRecords) => Promise<void>;

export interface FoldPartsOptions<S> {
	fold: RecordFold<S>;
	parts: TimeWindow[];
	readPart: ReadPart;
	/** Runs the parts' reads, under the read's gate. */
	runAll: (tasks: Array<() => Promise<void>>) => Promise<unknown>;
	/** A record's time (epoch ms) and id. */
	timeOf: (record: IDataObject) => number;
	idOf: (record: IDataObject) => string;
	/**
	 * For an API that selects on wall-clock text in this zone: parts' requests and records are then
	 * placed on its clocks (ZoneClock.wallSpan, wallMs). By default, on instants.
	 */
	wallClock?: ZoneClock;
}

/**
 * What a part's request covers, in whole seconds, both ends inclusive: its instants, or for an API
 * that selects on wall-clock text, the wall times the request spans on that clock (ZoneClock.wallSpan).
 */
export function requestSpan(part: TimeWindow, wallClock?: ZoneClock): [number, number] {
	if (!wallClock) return [wholeSecond(part.startMs), wholeSecond(part.endMs)];
	const { startWallMs, endWallMs } = wallClock.wallSpan(part.startMs, part.endMs);
	return [startWallMs, endWallMs];
}

/**
 * Where two parts' requests overlap, sorted and merged: [from, to] pairs, whole seconds, both
 * inclusive. Neighbours share their boundary second; on wall clocks, a part across the autumn
 * change reaches back over the repeated hour into its neighbour's.
 */
function overlaps(spans: Array<[number, number]>): Array<[number, number]> {
	const found: Array<[number, number]> = [];
	for (let i = 0; i < spans.length; i++) {
		for (let j = i + 1; j < spans.length; j++) {
			const from = Math.max(spans[i][0], spans[j][0]);
			const to = Math.min(spans[i][1], spans[j][1]);
			if (from <= to) found.push([from, to]);
		}
	}
	found.sort((a, b) => a[0] - b[0]);
	const merged: Array<[number, number]> = [];
	for (const [from, to] of found) {
		const last = merged[merged.length - 1];
		if (last && from <= last[1]) last[1] = Math.max(last[1], to);
		else merged.push([from, to]);
	}
	return merged;
}

/**
 * The wall times the clocks show twice within the read, each range twice (so that it counts as
 * an overlap): a part whose request reaches into a repeated hour gets both of its halves, and a
 * cursor that moves back to a wall time in it gets rows again that it read before.
 */
function repeatedHours(clock: ZoneClock, parts: TimeWindow[]): Array<[number, number]> {
	if (parts.length === 0) return [];
	// A loop, not a spread: the number of parts grows with the window the user picks.
	let fromMs = parts[0].startMs;
	let toMs = parts[0].endMs;
	for (const part of parts) {
		fromMs = Math.min(fromMs, part.startMs);
		toMs = Math.max(toMs, part.endMs);
	}
	const ranges: Array<[number, number]> = [];
	for (const change of clock.offsetChanges(fromMs - DAY_MS, toMs + DAY_MS)) {
		if (change.afterMs >= change.beforeMs) continue;
		const range: [number, number] = [change.atMs + change.afterMs, change.atMs + change.beforeMs - 1000];
		ranges.push(range, range);
	}
	return ranges;
}

/** Whether `at` lies in one of the sorted, disjoint ranges. */
function within(ranges: Array<[number, number]>, at: number): boolean {
	let lo = 0;
	let hi = ranges.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >>> 1;
		if (at < ranges[mid][0]) hi = mid - 1;
		else if (at > ranges[mid][1]) lo = mid + 1;
		else return true;
	}
	return false;
}

/**
 * Folds a read made of parts whose requests overlap (windows split to the API's limit and
 * flash-call shards share their boundary seconds; on wall clocks, the repeated autumn hour).
 * Each part is folded apart as its records arrive. A record that lies where two parts' requests
 * overlap can come in both: only those records are held, by id, and folded once at the end, so
 * no other record or id is kept.
 */
export async function foldParts<S>(options: FoldPartsOptions<S>): Promise<S> {
	const { fold, parts, timeOf, idOf, wallClock } = options;
	const spans = parts.map((part) => requestSpan(part, wallClock));
	const shared = overlaps(wallClock ? [...spans, ...repeatedHours(wallClock, parts)] : spans);
	const positionOf = (record: IDataObject) => {
		const ms = timeOf(record);
		return wholeSecond(wallClock ? wallClock.wallMs(ms) : ms);
	};
	const done: Array<{ state: S; edge: Map<string, IDataObject> }> = [];
	await options.runAll(
		parts.map((part, index) => async () => {
			await options.readPart(part, () => {
				const pass = { state: fold.start(), edge: new Map<string, IDataObject>() };
				done[index] = pass;
				return (records) => {
					for (const record of records) {
						if (shared.length > 0 && within(shared, positionOf(record))) pass.edge.set(idOf(record), record);
						else fold.add(pass.state, record);
					}
				};
			});
		}),
	);
	const total = fold.start();
	const edge = new Map<string, IDataObject>();
	for (const pass of done) {
		if (!pass) continue;
		fold.merge(total, pass.state);
		for (const [id, record] of pass.edge) if (!edge.has(id)) edge.set(id, record);
	}
	for (const record of edge.values()) fold.add(total, record);
	return total;
}
