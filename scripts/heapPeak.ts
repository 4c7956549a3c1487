/**
 * The live heap of a piece of work, for the benchmarks: sampled after a full collection (so garbage
 * not yet swept is not counted), every second, or less often when a collection itself is slow (a
 * heap of a million items takes seconds to collect; sampling must not become the work).
 */
import { readFileSync } from 'fs';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** `startBytes`: the live heap when the work began; `peakBytes`: its peak over that. */
export type HeapRun<T> = { value: T; ms: number; cpuMs: number; startBytes: number; peakBytes: number };

/** Runs `work`: its value, wall time (the sampling included), CPU time and live heap peak over the start. */
export async function heapPeak<T>(work: () => Promise<T>): Promise<HeapRun<T>> {
	gc();
	const base = process.memoryUsage().heapUsed;
	const cpu = process.cpuUsage();
	let peak = base;
	let timer: NodeJS.Timeout | undefined;
	const sample = () => {
		const started = performance.now();
		gc();
		peak = Math.max(peak, process.memoryUsage().heapUsed);
		// A collection may take at most a tenth of the time between samples.
		timer = setTimeout(sample, Math.max(1000, 10 * (performance.now() - started)));
	};
	timer = setTimeout(sample, 1000);
	const started = performance.now();
	try {
		const value = await work();
		const ms = performance.now() - started;
		const used = process.cpuUsage(cpu);
		gc();
		peak = Math.max(peak, process.memoryUsage().heapUsed);
		return { value, ms, cpuMs: (used.user + used.system) / 1000, startBytes: base, peakBytes: peak - base };
	} finally {
		clearTimeout(timer);
	}
}

/** The peak resident memory (VmHWM) of a process so far, in MiB; the OS counts what no sample sees. */
export function peakRssMib(pid: number | 'self' = 'self'): number {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8')
		.split('\n')
		.find((l) => l.startsWith('VmHWM:'));
	return line ? Number(/(\d+)/.exec(line)![1]) / 1024 : NaN;
}
