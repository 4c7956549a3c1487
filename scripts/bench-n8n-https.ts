/**
 * `npm run bench:n8n:https`: speed where users run it. The locked n8n (`n8n start`) reads the
 * sandbox over HTTPS, through a shaper that delays each direction by half a round trip (RTT), so
 * that every TCP and TLS handshake costs what it costs across a real link. The sandbox's
 * certificate is made for the run; n8n trusts it through NODE_EXTRA_CA_CERTS. At each RTT, on the
 * same records:
 *   - Number Records, Get Many over the window, at each Max Parallel Requests;
 *   - Summarize by SIP code over the same window, at the same settings;
 *   - the Call Records Trigger catching up on recent records in its first poll (activation);
 *   - n8n's HTTP Request node with its own pagination (one page at a time).
 * Each figure is printed against two floors: keep-alive (requests × RTT ÷ parallel) and n8n's
 * per-request connection (requests × (handshake round trips + 1) × RTT ÷ parallel), with the TLS
 * version the run negotiated. One n8n per RTT. Not part of CI.
 *
 * Knobs (environment; defaults are the full run: about 50 minutes, estimated from the floors):
 *   BENCH_RECORDS=100000          number records in the Get Many / Summarize / HTTP Request window
 *   BENCH_TRIGGER_RECORDS=20000   records the trigger catches up on
 *   BENCH_RTTS=20,100,250         round trips, in ms
 *   BENCH_PARALLEL=4,8,16         Max Parallel Requests for Get Many and Summarize
 *   BENCH_ROWS=getMany,summarize,trigger,httpRequest   which rows
 * A smoke run: BENCH_RECORDS=2000 BENCH_TRIGGER_RECORDS=500 BENCH_RTTS=100 BENCH_PARALLEL=4 npm run bench:n8n:https
 */
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { cpus, tmpdir } from 'os';
import { join } from 'path';

import { DEFAULT_MAX_PARALLEL_REQUESTS } from '../nodes/shared/getManyFields';
import { ACCOUNT_TIME_ZONE } from '../test/engine/fixtures';
import { CURRENT_N8N, ensureN8n } from '../test/e2e/n8nInstall';
import type { N8nInstall } from '../test/e2e/n8nInstall';
import { N8nInstance, freePort, packPackage } from '../test/e2e/n8nInstance';
import { startReceiver, waitFor } from '../test/e2e/receiver';
import { startSandboxProcess } from '../test/e2e/sandboxProcess';
import { sandboxCredentials } from '../test/e2e/workflows';
import { makeCertificate, writeTrustFile } from '../test/network/certificate';
import type { Shaper } from '../test/network/shaper';
import { startShaper } from '../test/network/shaper';
import type { SandboxAddress } from '../test/sandbox/control';
import { sandboxControl } from '../test/sandbox/control';
import { nodeExecutionMs } from './n8nBench/executions';
import { floorsMs, handshakeRoundTrips } from './n8nBench/floors';
import { callWebhook, sameIds } from './n8nBench/webhook';
import type { Window } from './n8nBench/workflows';
import { getManyNode, httpRequestNode, splitOut, summarizeNode, triggerCatchUpWorkflow, webhookWorkflow } from './n8nBench/workflows';

const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const TRIGGER_RECORDS = Number(process.env.BENCH_TRIGGER_RECORDS ?? 20_000);
const RTTS = list('BENCH_RTTS', '20,100,250').map(Number);
const PARALLEL = list('BENCH_PARALLEL', '4,8,16').map(Number);
const ROWS = new Set(list('BENCH_ROWS', 'getMany,summarize,trigger,httpRequest'));
const WINDOW: Window = { startTime: '2024-01-01T00:00:00Z', endTime: '2024-01-11T00:00:00Z' };
/** The one Timestamp the HTTP Request node sends; the sandbox accepts it for this run only. */
const FIXED_TIMESTAMP = String(Math.floor(Date.now() / 1000));
const log = (message: string) => process.stderr.write(`[bench:n8n:https] ${message}\n`);

type Kind = 'getMany' | 'summarize' | 'trigger' | 'httpRequest';

interface Row {
	kind: Kind;
	label: string;
	rttMs: number;
	parallel: number;
	/** API requests the sandbox answered for the row, and connections the shaper accepted. */
	requests: number;
	connections: number;
	/** The reading node's own time (the trigger: its poll's span on the link). */
	readMs: number;
	wallMs?: number;
	tls?: string;
	result: string;
}

interface WebhookRow {
	kind: Exclude<Kind, 'trigger'>;
	label: string;
	id: string;
	reader: string;
	parallel: number;
	workflow: unknown;
}

/** The webhook rows at one RTT, their workflows pointing at `apiUrl`. */
function webhookRows(rttMs: number, apiUrl: string): WebhookRow[] {
	const rows: WebhookRow[] = [];
	const id = (name: string) => `benchtls${rttMs}${name}`.replace(/[^a-z0-9]/gi, '').padEnd(16, '0');
	for (const parallel of PARALLEL) {
		if (ROWS.has('getMany')) {
			const wf = id(`getmany${parallel}`);
			rows.push({ kind: 'getMany', label: `Number Records, Get Many, Max Parallel Requests ${parallel}`, id: wf, reader: 'Number Records', parallel, workflow: webhookWorkflow(wf, wf, 'Number Records', getManyNode(WINDOW, parallel)) });
		}
		if (ROWS.has('summarize')) {
			const wf = id(`summarize${parallel}`);
			rows.push({ kind: 'summarize', label: `Number Records, Summarize by SIP code, Max Parallel Requests ${parallel}`, id: wf, reader: 'Number Records', parallel, workflow: webhookWorkflow(wf, wf, 'Number Records', summarizeNode(WINDOW, parallel), [], false) });
		}
	}
	if (ROWS.has('httpRequest')) {
		const wf = id('httprequest');
		rows.push({ kind: 'httpRequest', label: "n8n's HTTP Request node, its own pagination", id: wf, reader: 'HTTP Request', parallel: 1, workflow: webhookWorkflow(wf, wf, 'HTTP Request', httpRequestNode(apiUrl, WINDOW, FIXED_TIMESTAMP), [splitOut]) });
	}
	return rows;
}

interface Setup {
	install: N8nInstall;
	work: string;
	tarball: string;
	trustFile: string;
	sandbox: SandboxAddress;
	shaper: Shaper;
	want: string[];
	catchUp?: { from: string; ids: string[] };
}

/** One RTT: a fresh n8n whose first act is the trigger's catch-up, then each webhook row in turn. */
async function measureAt(rttMs: number, setup: Setup): Promise<Row[]> {
	const { install, work, tarball, trustFile, sandbox, shaper, want, catchUp } = setup;
	const apiUrl = shaper.url('https');
	const dir = join(work, `rtt${rttMs}`);
	mkdirSync(dir);
	const n8n = new N8nInstance(install, dir, tarball, { NODE_EXTRA_CA_CERTS: trustFile });
	n8n.importCredentials(sandboxCredentials(apiUrl));
	const rows = webhookRows(rttMs, apiUrl);
	const receiver = await startReceiver();
	const triggerId = `benchtls${rttMs}trigger`.padEnd(16, '0');
	n8n.importWorkflows([...rows.map((row) => row.workflow), ...(catchUp ? [triggerCatchUpWorkflow(triggerId, catchUp.from, TRIGGER_RECORDS * 2, receiver.url)] : [])]);
	for (const row of rows) n8n.activate(row.id);
	if (catchUp) n8n.activate(triggerId);
	const out: Row[] = [];
	const done: Array<{ row: WebhookRow; partial: Omit<Row, 'readMs'> }> = [];
	shaper.rttMs = rttMs;
	await sandboxControl(sandbox, 'reset');
	shaper.resetStats();
	try {
		const port = await freePort();
		await n8n.start(port);
		if (catchUp) {
			log(`RTT ${rttMs} ms: trigger catch-up of ${catchUp.ids.length} records...`);
			const limit = (catchUp.ids.length / 100 + 10) * 4 * rttMs + 120_000;
			const [, posted] = await waitFor('the trigger catch-up', limit, () => [...receiver.byExecution][0]);
			const got = posted.join(',').split(',').filter(Boolean);
			const link = shaper.stats();
			const stats = await sandboxControl<{ requests: number; tls: Record<string, number> }>(sandbox, 'stats');
			out.push({
				kind: 'trigger',
				label: `Call Records Trigger, first poll catching up (Max Parallel Requests ${DEFAULT_MAX_PARALLEL_REQUESTS}, fixed)`,
				rttMs,
				parallel: DEFAULT_MAX_PARALLEL_REQUESTS,
				requests: stats.requests,
				connections: link.connections,
				readMs: (link.lastAt ?? 0) - (link.firstAt ?? 0),
				tls: Object.keys(stats.tls).join('+'),
				result: sameIds(got, catchUp.ids, false) ? 'exact' : `NOT EXACT: ${got.length} ids for ${catchUp.ids.length} records`,
			});
		}
		for (const row of rows) {
			await sandboxControl(sandbox, 'reset');
			shaper.resetStats();
			log(`RTT ${rttMs} ms: ${row.label}...`);
			const { ok, status, text, wallMs } = await callWebhook(port, row.id);
			if (!ok) throw new Error(`${row.label}: HTTP ${status} ${text.slice(0, 300)}; n8n's log ends: ${n8n.logTail(8)}`);
			const body = JSON.parse(text) as { callid?: string[]; totals?: { calls: number } };
			const stats = await sandboxControl<{ requests: number; tls: Record<string, number> }>(sandbox, 'stats');
			const result =
				row.kind === 'summarize'
					? body.totals?.calls === want.length ? `calls ${want.length.toLocaleString('en-US')}, the sandbox's count` : `NOT EXACT: ${String(body.totals?.calls)} calls for ${want.length} records`
					: sameIds((body.callid ?? []).map(String), want, true) ? 'exact, in order' : `NOT EXACT: ${(body.callid ?? []).length} ids for ${want.length} records`;
			done.push({ row, partial: { kind: row.kind, label: row.label, rttMs, parallel: row.parallel, requests: stats.requests, connections: shaper.stats().connections, wallMs, tls: Object.keys(stats.tls).join('+'), result } });
			log(`RTT ${rttMs} ms: ${row.label}: ${(wallMs / 1000).toFixed(1)} s`);
		}
	} finally {
		await n8n.stop();
		receiver.close();
	}
	for (const { row, partial } of done) out.push({ ...partial, readMs: await nodeExecutionMs(install.modules, n8n.userFolder, row.id, row.reader) });
	return out;
}

function table(rows: Row[]): string {
	const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
	const lines = [
		'| RTT | Reader | Requests (connections) | Read time | Keep-alive floor | × | Per-request-connection floor | × | Wall time | HTTP Request node ÷ this (wall) | Result |',
		'|---|---|---|---|---|---|---|---|---|---|---|',
	];
	for (const row of rows) {
		const { keepAliveMs, perConnectionMs } = floorsMs(row.requests, row.rttMs, row.parallel, handshakeRoundTrips(row.tls));
		const anchor = rows.find((r) => r.kind === 'httpRequest' && r.rttMs === row.rttMs);
		const versus = anchor?.wallMs && row.wallMs && row !== anchor && row.kind !== 'trigger' ? `${(anchor.wallMs / row.wallMs).toFixed(1)}×` : '—';
		lines.push(
			`| ${row.rttMs} ms | ${row.label} | ${row.requests.toLocaleString('en-US')} (${row.connections.toLocaleString('en-US')}) | ${s(row.readMs)} | ${s(keepAliveMs)} | ${(row.readMs / keepAliveMs).toFixed(2)}× | ${s(perConnectionMs)} | ${(row.readMs / perConnectionMs).toFixed(2)}× | ${row.wallMs === undefined ? '—' : s(row.wallMs)} | ${versus} | ${row.result} |`,
		);
	}
	return lines.join('\n');
}

/** Issue #37's targets, at 100 ms when the run measured it: what was met and by how much. */
function targets(rows: Row[], rttMs = 100): string {
	const at = rows.filter((row) => row.rttMs === rttMs);
	const getMany = at.filter((row) => row.kind === 'getMany');
	const anchor = at.find((row) => row.kind === 'httpRequest');
	const lines: string[] = [];
	const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
	const byDefault = getMany.find((row) => row.parallel === DEFAULT_MAX_PARALLEL_REQUESTS);
	if (byDefault?.wallMs && anchor?.wallMs) {
		const times = anchor.wallMs / byDefault.wallMs;
		lines.push(`- The default (${DEFAULT_MAX_PARALLEL_REQUESTS} parallel) at least 8× faster than the HTTP Request node (wall time): ${times.toFixed(1)}×, ${verdict(times >= 8)}.`);
	}
	const ratios = getMany.map((row) => ({ row, ratio: row.readMs / floorsMs(row.requests, row.rttMs, row.parallel, handshakeRoundTrips(row.tls)).perConnectionMs }));
	const best = ratios.sort((a, b) => a.row.readMs - b.row.readMs)[0];
	if (best) lines.push(`- The best setting (${best.row.parallel} parallel) within 1.15× of the per-request-connection floor: ${best.ratio.toFixed(2)}×, ${verdict(best.ratio <= 1.15)}.`);
	for (const summarize of at.filter((row) => row.kind === 'summarize')) {
		const same = getMany.find((row) => row.parallel === summarize.parallel);
		if (same) lines.push(`- Summarize no slower than Get Many at ${summarize.parallel} parallel (read time): ${(summarize.readMs / 1000).toFixed(2)} s against ${(same.readMs / 1000).toFixed(2)} s, ${verdict(summarize.readMs <= same.readMs)}.`);
	}
	const smoke = RECORDS < 100_000 ? ` — a smoke run of ${RECORDS.toLocaleString('en-US')} records: the targets are for 100,000, where the first page's wait no longer dominates` : '';
	return lines.length > 0 ? `\nTargets at ${rttMs} ms (issue #37${smoke}):\n${lines.join('\n')}\n` : '';
}

async function main() {
	const install = await ensureN8n(CURRENT_N8N);
	const work = mkdtempSync(join(tmpdir(), 'n8n-call-records-bench-https-'));
	const certificate = makeCertificate();
	const trustFile = writeTrustFile(certificate, work);
	const child = await startSandboxProcess({
		seed: 1,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: RECORDS, from: WINDOW.startTime, to: WINDOW.endTime },
		acceptTimestamp: FIXED_TIMESTAMP,
		tls: certificate,
	});
	const sandbox: SandboxAddress = { url: child.url, ca: certificate.cert };
	const shaper = await startShaper({ host: '127.0.0.1', port: Number(new URL(child.url).port) }, RTTS[0]);
	const rows: Row[] = [];
	try {
		const records = (from: number, to: number) => sandboxControl<{ ids: string[] }>(sandbox, `records?endpoint=numberRecords&from=${from}&to=${to}`).then((r) => r.ids);
		const want = await records(Date.parse(WINDOW.startTime), Date.parse(WINDOW.endTime));
		let catchUp: Setup['catchUp'];
		if (ROWS.has('trigger')) {
			// Recent records for the trigger, filed once: every RTT's first poll catches up on the same ones.
			const now = Date.now();
			const fromMs = now - 2 * 3_600_000;
			await sandboxControl(sandbox, 'add', { endpoint: 'numberRecords', count: TRIGGER_RECORDS, fromMs: fromMs + 1_000, toMs: now - 120_000 });
			catchUp = { from: new Date(fromMs).toISOString(), ids: await records(fromMs, now) };
		}
		const tarball = packPackage(work);
		for (const rttMs of RTTS) rows.push(...(await measureAt(rttMs, { install, work, tarball, trustFile, sandbox, shaper, want, catchUp })));
	} finally {
		await shaper.close();
		child.stop();
		rmSync(work, { recursive: true, force: true });
	}
	const tls = [...new Set(rows.map((row) => row.tls).filter(Boolean))].join(', ') || 'none';
	process.stdout.write(`\n${table(rows)}\n${targets(rows)}`);
	process.stdout.write(
		`\nTLS negotiated: ${tls} (handshake round trips counted: TCP 1 + TLS ${tls === 'TLSv1.3' ? '1.3: 1' : '1.2: 2'}). ${RECORDS.toLocaleString('en-US')} records in the window` +
			`${ROWS.has('trigger') ? `, ${TRIGGER_RECORDS.toLocaleString('en-US')} for the trigger` : ''}. Read time: the node's execution time from n8n's saved execution (the trigger: first connection to last byte on the link).\n` +
			`Machine: ${cpus().length} cores (${cpus()[0].model}), Node ${process.version} (n8n on its own Node 24); n8n ${CURRENT_N8N.version}; ${new Date().toISOString().slice(0, 10)}.\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`bench:n8n:https failed: ${error.stack ?? error}\n`);
	process.exit(1);
});
