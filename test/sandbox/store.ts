/**
 * What every sandbox endpoint stores per record: when it is filed, its id, and its wire form.
 * Never changed in place (the sandbox keeps each record's JSON): replace a record to alter it.
 */
export interface StoredRecord {
	startMs: number;
	id: string;
	wire: Record<string, unknown>;
	/** Fields only one dialect sends (Laaffic's currency fields on the /v3 number path). */
	extra?: Record<string, unknown>;
	/** When the provider files it (after the call); invisible to queries before. */
	writtenMs?: number;
}

export function sortNewestFirst<T extends { startMs: number; id: string }>(records: T[]): T[] {
	return records.sort((a, b) => b.startMs - a.startMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** Builds `count` records spread over [fromMs, toMs] on a grid of `granularityMs`, newest first, on whole seconds as the providers keep them. */
export function spreadRecords(
	random: () => number,
	count: number,
	fromMs: number,
	toMs: number,
	make: (seq: number, startMs: number) => StoredRecord,
	firstSeq = 0,
	granularityMs = 1000,
): StoredRecord[] {
	const slots = Math.max(1, Math.floor((toMs - fromMs) / granularityMs));
	const out: StoredRecord[] = [];
	for (let i = 0; i < count; i++) {
		const at = fromMs + Math.floor(random() * slots) * granularityMs;
		out.push(make(firstSeq + i, Math.floor(at / 1000) * 1000));
	}
	return sortNewestFirst(out);
}

export function digits(random: () => number, n: number): string {
	let out = '';
	for (let i = 0; i < n; i++) out += String(Math.floor(random() * 10));
	return out;
}
