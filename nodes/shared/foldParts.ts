import type { IDataObject } from 'n8n-workflow';

import type { TimeWindow } from '../transport/windows';
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
}

const second = (ms: number) => Math.floor(ms / 1000);

/**
 * Folds a read made of parts that share their boundary seconds (windows split to the API's
 * limit, flash-call shards). Each part is folded apart as its records arrive. A record filed on
 * a shared boundary second can come in both neighbours: only those records are held, by id, and
 * folded once at the end, so no other record or id is kept.
 */
export async function foldParts<S>(options: FoldPartsOptions<S>): Promise<S> {
	const { fold, parts, timeOf, idOf } = options;
	const ends = new Set(parts.map((part) => second(part.endMs)));
	const edges = new Set(parts.map((part) => second(part.startMs)).filter((start) => ends.has(start)));
	const done: Array<{ state: S; edge: Map<string, IDataObject> }> = [];
	await options.runAll(
		parts.map((part, index) => async () => {
			await options.readPart(part, () => {
				const pass = { state: fold.start(), edge: new Map<string, IDataObject>() };
				done[index] = pass;
				return (records) => {
					for (const record of records) {
						if (edges.has(second(timeOf(record)))) pass.edge.set(idOf(record), record);
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
