/**
 * `npm run bench:n8n`: what users feel, in the n8n they run. The current locked n8n (`n8n start`,
 * a fresh process per row, so each peak RSS is the row's own) reads 100,000 number records from
 * the sandbox at 50 ms per answer, started by a webhook that answers with every record id:
 *   - Number Records at Max Parallel Requests 4 and 16;
 *   - what a user would build instead: n8n's HTTP Request node with its own pagination (page by
 *     page, body `current` = $pageCount + 1, until `records` comes back empty), signed with one
 *     fixed timestamp the sandbox accepts for this run only.
 *   - Number Records' Summarize by SIP code, as one item, over the same 100,000 records and over
 *     1,000,000 (a sandbox of their own): its peak RSS beside the Get Many rows', and flat.
 * Each row: wall time, the reading node's own execution time (from n8n's saved execution) against
 * the limit, the n8n process's peak RSS (and its peak once started), and whether the exact set (or count) came back. Not part of CI.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { ACCOUNT_TIME_ZONE } from '../test/engine/fixtures';
import { CURRENT_N8N, ensureN8n } from '../test/e2e/n8nInstall';
import { N8nInstance, freePort, packPackage } from '../test/e2e/n8nInstance';
import { startSandboxProcess } from '../test/e2e/sandboxProcess';
import { sandboxCredentials } from '../test/e2e/workflows';
import { sandboxControl } from '../test/sandbox/control';
import { peakRssMib } from './heapPeak';
import { nodeExecutionMs } from './n8nBench/executions';
import { callWebhook, sameIds } from './n8nBench/webhook';
import { getManyNode, httpRequestNode, splitOut, summarizeNode, webhookWorkflow } from './n8nBench/workflows';

const LATENCY_MS = 50;
const WINDOW = { startTime: '2024-01-01T00:00:00Z', endTime: '2024-01-11T00:00:00Z' };
/** Summarize's row: 1,000,000 records, in a month of their own after WINDOW (the sandbox holds both). */
const MILLION_WINDOW = { startTime: '2024-02-01T00:00:00Z', endTime: '2024-03-02T00:00:00Z' };
const MILLION = 1_000_000;
/** The one Timestamp the HTTP Request node sends; the sandbox accepts it for this run only. */
const FIXED_TIMESTAMP = String(Math.floor(Date.now() / 1000));
const log = (message: string) => process.stderr.write(`[bench:n8n] ${message}\n`);

type Scenario = {
	label: string;
	reader: string;
	node: Record<string, unknown>;
	extra: Array<Record<string, unknown>>;
	requests: number;
	parallel: number;
	ordered: boolean;
	/** Summarize answers with its figures, checked against this count of the sandbox's, instead of the ids. */
	summary?: number;
	/** The sandbox the row reads, when not the 100,000-record one. */
	sandboxUrl?: string;
};

type Row = { summary?: number; label: string; wallMs: number; nodeMs: number; limitMs: number; readyRssMb: number; rssMb: number; result: string };

async function main() {
	const install = await ensureN8n(CURRENT_N8N);
	const work = mkdtempSync(join(tmpdir(), 'n8n-call-records-bench-'));
	const sandbox = await startSandboxProcess({
		seed: 1,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 100_000, from: WINDOW.startTime, to: WINDOW.endTime },
		acceptTimestamp: FIXED_TIMESTAMP,
	});
	// Summarize's row reads a sandbox of its own with the million records (it takes a minute to start).
	const millionSandbox = await startSandboxProcess({ seed: 1, timeZone: ACCOUNT_TIME_ZONE, numberRecords: { count: MILLION, from: MILLION_WINDOW.startTime, to: MILLION_WINDOW.endTime } });
	const rows: Row[] = [];
	try {
		const tarball = packPackage(work);
		const want = (await sandboxControl<{ ids: string[] }>(sandbox.url, `records?endpoint=numberRecords&from=${Date.parse(WINDOW.startTime)}&to=${Date.parse(WINDOW.endTime)}`)).ids;
		const pages = Math.ceil(want.length / 100);
		const million = (await sandboxControl<{ ids: string[] }>(millionSandbox.url, `records?endpoint=numberRecords&from=${Date.parse(MILLION_WINDOW.startTime)}&to=${Date.parse(MILLION_WINDOW.endTime)}`)).ids.length;
		const scenarios: Scenario[] = [
			{ label: 'Number Records, Max Parallel Requests 4', reader: 'Number Records', node: getManyNode(WINDOW, 4), extra: [], requests: pages, parallel: 4, ordered: true },
			{ label: 'Number Records, Max Parallel Requests 16', reader: 'Number Records', node: getManyNode(WINDOW, 16), extra: [], requests: pages, parallel: 16, ordered: true },
			// One more page than the records fill: the empty one that ends the pagination.
			{ label: "n8n's HTTP Request node, its own pagination (one page at a time)", reader: 'HTTP Request', node: httpRequestNode(sandbox.url, WINDOW, FIXED_TIMESTAMP), extra: [splitOut], requests: pages + 1, parallel: 1, ordered: true },
		];
		// Summarize over the Get Many rows' window and over the million: its RSS should not follow the records.
		for (const [window, records, url] of [[WINDOW, want.length, sandbox.url], [MILLION_WINDOW, million, millionSandbox.url]] as const) {
			scenarios.push({
				label: `Number Records, Summarize by SIP code, ${records.toLocaleString('en-US')} records, Max Parallel Requests 16`,
				reader: 'Number Records',
				node: summarizeNode(window, 16),
				extra: [],
				requests: Math.ceil(records / 100),
				parallel: 16,
				ordered: false,
				summary: records,
				sandboxUrl: url,
			});
		}
		for (const [i, scenario] of scenarios.entries()) {
			// BENCH_ROWS=2 (or 0,2) runs only those rows (while debugging).
			if (process.env.BENCH_ROWS && !process.env.BENCH_ROWS.split(',').includes(String(i))) continue;
			const dir = join(work, `row${i}`);
			mkdirSync(dir);
			const n8n = new N8nInstance(install, dir, tarball);
			const rowSandbox = scenario.sandboxUrl ?? sandbox.url;
			n8n.importCredentials(sandboxCredentials(rowSandbox));
			const id = `benchn8nrow${String(i).padStart(4, '0')}`;
			n8n.importWorkflows([webhookWorkflow(id, `bench-${i}`, scenario.reader, scenario.node, scenario.extra, scenario.summary === undefined)]);
			n8n.activate(id);
			const port = await freePort();
			await n8n.start(port);
			// n8n's own footprint before the row's work: its peak RSS once started.
			const readyRssMb = n8n.pid ? Math.round(peakRssMib(n8n.pid)) : NaN;
			try {
				await sandboxControl(rowSandbox, 'reset');
				await sandboxControl(rowSandbox, 'latency', { ms: LATENCY_MS });
				log(`${scenario.label}...`);
				const { ok, status, text, wallMs } = await callWebhook(port, `bench-${i}`);
				if (!ok) throw new Error(`${scenario.label}: HTTP ${status} ${text.slice(0, 300)}; n8n's log ends: ${n8n.logTail(8)}`);
				const body = JSON.parse(text) as { callid?: string[]; totals?: { calls: number } };
				const rssMb = n8n.pid ? Math.round(peakRssMib(n8n.pid)) : NaN;
				const got = (body.callid ?? []).map(String);
				const exact = scenario.summary !== undefined
					? body.totals?.calls === scenario.summary
					: sameIds(got, want, scenario.ordered);
				await n8n.stop();
				const nodeMs = await nodeExecutionMs(install.modules, n8n.userFolder, id, scenario.reader);
				rows.push({
					summary: scenario.summary,
					label: scenario.label,
					wallMs,
					nodeMs,
					limitMs: (scenario.requests * LATENCY_MS) / scenario.parallel,
					readyRssMb,
					rssMb,
					result: scenario.summary !== undefined
						? exact
							? `calls ${scenario.summary.toLocaleString('en-US')}, the sandbox's count`
							: `NOT EXACT: ${String(body.totals?.calls)} calls for ${scenario.summary} records`
						: exact
							? 'exact, in order'
							: `NOT EXACT: ${got.length} ids for ${want.length} records`,
				});
				log(`${scenario.label}: ${(wallMs / 1000).toFixed(1)} s`);
			} finally {
				await n8n.stop();
			}
		}
	} finally {
		sandbox.stop();
		millionSandbox.stop();
		rmSync(work, { recursive: true, force: true });
	}
	const anchor = rows.find((row) => row.label.startsWith("n8n's HTTP Request"));
	const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
	process.stdout.write('\n| Reader | Wall time (webhook to answer) | Node execution time | Limit (requests × 50 ms ÷ parallel) | Node ÷ limit | Peak RSS of n8n (once started) | Faster than the HTTP Request node | Result |\n|---|---|---|---|---|---|---|---|\n');
	for (const row of rows) {
		process.stdout.write(
			`| ${row.label} | ${s(row.wallMs)} | ${s(row.nodeMs)} | ${s(row.limitMs)} | ${(row.nodeMs / row.limitMs).toFixed(2)}× | ${row.rssMb} MiB (${row.readyRssMb}) | ${!anchor || row === anchor || row.summary !== undefined ? '—' : `${(anchor.wallMs / row.wallMs).toFixed(1)}×`} | ${row.result} |\n`,
		);
	}
	process.stdout.write(`\nMachine: ${require('os').cpus().length} cores (${require('os').cpus()[0].model}), Node ${process.version}; n8n ${CURRENT_N8N.version}; ${LATENCY_MS} ms per answer.\n`);
}

main().catch((error) => {
	process.stderr.write(`bench:n8n failed: ${error.stack ?? error}\n`);
	process.exit(1);
});
