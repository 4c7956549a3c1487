/**
 * `npm run test:queue`: the package in n8n's queue mode, with real parts: Debian's PostgreSQL
 * (workflows, credentials, executions, static data) and Redis (the queue), the current locked n8n
 * as one main (which polls the trigger) and two workers (which run the executions), each with the
 * package installed as n8n installs a community package. Checks, in order:
 *   1. the active trigger emits every record exactly once while records are filed, some late,
 *      and every execution runs on a worker;
 *   2. crashes: the main killed between two polls, the main killed during a poll, a worker killed
 *      during an execution, Redis restarted between polls; each outcome (exact, lost, repeated) is
 *      reported, and a lost record fails the run;
 *   3. recordings: Call Center Records with Download Recordings run on a worker, binary data in the
 *      database store (shared by main and workers); the main serves each file once, byte-exact;
 *   4. load: 20 Number Records executions of 10,000 records each, queued at once across the two
 *      workers (concurrency 5): all exact, with the wall time and each worker's peak memory.
 * First, the example "call-center records to PostgreSQL" (examplePostgres.ts): its trigger's
 * backfill, then two re-runs over the same window, and the table holds each record once.
 * QUEUE_ONLY=examplePostgres runs that check only (while debugging).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { ACCOUNT_TIME_ZONE } from '../engine/fixtures';
import { sandboxControl } from '../sandbox/control';
import { CURRENT_N8N, ensureN8n } from '../e2e/n8nInstall';
import { N8nInstance, freePort, packPackage } from '../e2e/n8nInstance';
import { startReceiver, waitFor } from '../e2e/receiver';
import { startSandboxProcess } from '../e2e/sandboxProcess';
import { sandboxCredentials } from '../e2e/workflows';
import type { Postgres, Redis } from './services';
import { startPostgres, startRedis } from './services';
import { EXAMPLE_IDS, examplePostgresCredential, exampleWorkflows, prepareExampleDatabase, tableIds } from './examplePostgres';
import { QUEUE_BINARY_DATA, ownerEnv, queueRecordings, recordingsWorkflow } from './recordings';
import { loadWorkflow, triggerWorkflow } from './workflows';

const POLL_SECONDS = 10;
const POLL_MS = POLL_SECONDS * 1000;
const LOAD_WINDOW = { startTime: '2024-03-01T00:00:00Z', endTime: '2024-03-02T00:00:00Z' };
/** The call-center records the PostgreSQL example syncs (both ends included). */
const EXAMPLE_WINDOW = { startTime: '2024-02-01T00:00:00Z', endTime: '2024-02-02T23:59:59Z' };
/** Call-center records with recordings, filed once the example's check is done (its trigger reads from then on). */
const RECORDINGS_WINDOW = { startTime: '2024-02-20T00:00:00Z', endTime: '2024-02-27T00:00:00Z' };
const log = (message: string) => process.stdout.write(`[queue] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Outcome = { name: string; ok: boolean; detail: string };
const outcomes: Outcome[] = [];
/** Thrown after the PostgreSQL example's check when QUEUE_ONLY=examplePostgres: the other checks are skipped. */
const ONLY_EXAMPLE = new Error('QUEUE_ONLY=examplePostgres: the other checks skipped');

function report(name: string, ok: boolean, detail: string) {
	outcomes.push({ name, ok, detail });
	log(`${ok ? 'passed' : 'FAILED'}: ${name}: ${detail}`);
}

/** Which of `filed` arrived, how often: exact, or how many were lost and how many came twice. */
function tally(filed: string[], received: string[]): { exact: boolean; lost: string[]; repeated: string[]; text: string } {
	const counts = new Map<string, number>();
	for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
	const lost = filed.filter((id) => !counts.has(id));
	const repeated = filed.filter((id) => (counts.get(id) ?? 0) > 1);
	const text = lost.length === 0 && repeated.length === 0 ? `exact: ${filed.length} of ${filed.length} once` : `${lost.length} lost, ${repeated.length} emitted more than once, of ${filed.length}`;
	return { exact: lost.length === 0 && repeated.length === 0, lost, repeated, text };
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number | undefined): number | undefined {
	if (!pid) return undefined;
	const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
	return line ? Math.round(Number(/(\d+)/.exec(line)![1]) / 1024) : undefined;
}

async function main() {
	const release = CURRENT_N8N;
	const install = await ensureN8n(release);
	const work = mkdtempSync(join(tmpdir(), 'n8n-call-records-queue-'));
	// PostgreSQL runs as its own user and keeps its data under here.
	chmodSync(work, 0o755);
	let postgres: Postgres | undefined;
	let redis: Redis | undefined;
	let sandbox: Awaited<ReturnType<typeof startSandboxProcess>> | undefined;
	const receiver = await startReceiver();
	const processes: N8nInstance[] = [];
	try {
		log('packing the package; starting PostgreSQL, Redis and the API sandbox');
		const tarball = packPackage(work);
		postgres = await startPostgres(work);
		redis = await startRedis(work);
		sandbox = await startSandboxProcess({
			seed: 23,
			timeZone: ACCOUNT_TIME_ZONE,
			numberRecords: { count: 10_000, from: LOAD_WINDOW.startTime, to: LOAD_WINDOW.endTime },
			callCenterRecords: { count: 300, from: EXAMPLE_WINDOW.startTime, to: EXAMPLE_WINDOW.endTime },
		});
		prepareExampleDatabase(postgres);
		const sandboxUrl = sandbox.url;
		const env = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			N8N_LOG_LEVEL: 'info',
			...QUEUE_BINARY_DATA,
			...ownerEnv(install),
			// QUEUE_DURABLE_CURSORS=1: n8n 2.x's durable poll cursors (off by default in 2.40 and 2.41), which
			// commit a poll's static data with the execution it starts, in one transaction.
			...(process.env.QUEUE_DURABLE_CURSORS === '1'
				? { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true', N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true', N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true' }
				: {}),
		};
		log(`installing the package for the main and two workers (n8n ${release.version})`);
		const main = new N8nInstance(install, mkdir(work, 'main'), tarball, env);
		const workers = [1, 2].map((n) => new N8nInstance(install, mkdir(work, `worker${n}`), tarball, env));
		processes.push(main, ...workers);

		main.importCredentials([...sandboxCredentials(sandboxUrl), examplePostgresCredential(postgres)]);
		const triggerId = 'queuetrigger001';
		const options = { lookBackMinutes: (2 * POLL_SECONDS) / 60, settleSeconds: POLL_SECONDS / 2 };
		main.importWorkflows([
			triggerWorkflow(triggerId, receiver.url, 'numberRecords', POLL_SECONDS, options),
			loadWorkflow('queueload000001', 'queue-load', receiver.url, LOAD_WINDOW, 4),
			recordingsWorkflow('queuerecords001', 'queue-recordings', RECORDINGS_WINDOW),
		]);
		main.importWorkflows(exampleWorkflows(EXAMPLE_WINDOW, POLL_SECONDS, 'example-postgres'));
		main.activate(triggerId);
		main.activate('queueload000001');
		main.activate('queuerecords001');
		main.activate(EXAMPLE_IDS.trigger);
		main.activate(EXAMPLE_IDS.rerun);
		const mainPort = await freePort();
		const startMain = async () => await main.start(mainPort, 180_000);
		await startMain();
		await Promise.all(workers.map(async (worker) => await worker.startWorker(5)));
		log(`main and two workers are up${process.env.QUEUE_DURABLE_CURSORS === '1' ? ', with durable poll cursors' : ''}`);

		// The windows the trigger has read (the sandbox logs each), and filing records as n8n polls.
		const windows = async () => (await sandboxControl<{ windows: Array<{ fromMs: number; toMs: number; at: number }> }>(sandboxUrl, 'windows?endpoint=numberRecords')).windows.filter((w) => w.fromMs > Date.parse(LOAD_WINDOW.endTime));
		const file = async (count: number, fromMs: number, toMs: number) =>
			(await sandboxControl<{ ids: string[] }>(sandboxUrl, 'add', { endpoint: 'numberRecords', count, fromMs, toMs })).ids;
		const nextWindow = async (after: number, timeoutMs = POLL_MS * 4) => await waitFor('the next poll', timeoutMs, async () => ((await windows()).length > after ? (await windows()).at(-1)! : undefined));
		/** Files records after each of `polls` reads: on the read's last second, late ones within the look-back, fresh ones. */
		const fileOverPolls = async (polls: number): Promise<string[]> => {
			const filed: string[] = [];
			const floorMs = (await windows())[0]?.fromMs ?? 0;
			for (let i = 0; i < polls; i++) {
				const read = await nextWindow((await windows()).length);
				filed.push(...(await file(2, read.toMs, read.toMs)));
				filed.push(...(await file(3, Math.max(floorMs, read.toMs - POLL_MS / 2), read.toMs)));
				filed.push(...(await file(3, read.toMs + 1000, Date.now())));
			}
			return filed;
		};
		/** Waits until every filed record has arrived (or two minutes), then two polls more for repeats. */
		const settle = async (filed: string[]) => {
			await waitFor('every filed record', 120_000, () => (filed.every((id) => receiver.ids().includes(id)) ? true : undefined)).catch(() => undefined);
			await sleep(2 * POLL_MS);
		};

		// The PostgreSQL example: the trigger's backfill, then the same window twice more.
		const exampleStarted = Date.now();
		const wantInTable = (await sandboxControl<{ ids: string[] }>(sandboxUrl, `records?endpoint=callCenterRecords&from=${Date.parse(EXAMPLE_WINDOW.startTime)}&to=${Date.parse(EXAMPLE_WINDOW.endTime) + 999}`)).ids;
		const backfilled = await waitFor('the example trigger to fill the table', 120_000, () => (tableIds(postgres!).length >= wantInTable.length ? tableIds(postgres!) : undefined)).catch(() => tableIds(postgres!));
		for (let i = 0; i < 2; i++) {
			const response = await fetch(`http://127.0.0.1:${mainPort}/webhook/example-postgres`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
			if (!response.ok) throw new Error(`the example's re-run answered ${response.status}: ${await response.text()}`);
		}
		const rows = tableIds(postgres);
		const once = rows.length === wantInTable.length && new Set(rows).size === rows.length && wantInTable.every((id) => rows.includes(id));
		report(
			'example call-center-to-postgres.json: trigger backfill, then two re-runs of the same window (Get Many on a worker): each record in the table once',
			once && backfilled.length === wantInTable.length,
			`${wantInTable.length} records in the window; ${backfilled.length} rows after the trigger's backfill, ${rows.length} rows (${new Set(rows).size} distinct key_id) after two more runs; ${((Date.now() - exampleStarted) / 1000).toFixed(1)} s once n8n was up`,
		);
		if (process.env.QUEUE_ONLY === 'examplePostgres') throw ONLY_EXAMPLE;

		// 1. Exactly once, and on the workers.
		await nextWindow(0, 60_000); // the first poll only sets the cursor: wait for the first read
		const filed = await fileOverPolls(4);
		await settle(filed);
		const exact = tally(filed, receiver.ids());
		const executions = [...receiver.byExecution.keys()];
		const workerLogs = workers.map((w) => w.log());
		const onWorkers = executions.filter((id) => workerLogs.some((l) => l.includes(`Worker started execution ${id} `)));
		const perWorker = workerLogs.map((l) => executions.filter((id) => l.includes(`Worker started execution ${id} `)).length);
		report('trigger: records filed over 4 polls, some late, each emitted once', exact.exact, exact.text);
		report(
			'trigger: its executions ran on the workers',
			executions.length > 0 && onWorkers.length === executions.length,
			`${onWorkers.length} of ${executions.length} executions started on a worker (${perWorker.join(' and ')}); the main only polled`,
		);

		// 2. Crashes.
		const crash = async (name: string, act: () => Promise<string[]>) => {
			const before = receiver.ids().length;
			const filedHere = await act();
			await settle(filedHere);
			const result = tally(filedHere, receiver.ids().slice(before));
			report(`crash: ${name}`, result.lost.length === 0, result.text);
		};
		await crash('main killed between two polls, then started again', async () => {
			const read = await nextWindow((await windows()).length);
			await waitFor('the poll to finish', POLL_MS, async () => ((await windows()).at(-1)!.at === read.at ? true : undefined));
			await sleep(1000);
			await main.kill();
			const ids = await file(4, read.toMs - POLL_MS, Date.now());
			await sleep(POLL_MS);
			ids.push(...(await file(4, Date.now() - POLL_MS, Date.now())));
			await startMain();
			return [...ids, ...(await fileOverPolls(2))];
		});
		await crash('main killed during a poll (the API slow to answer), then started again', async () => {
			await sandboxControl(sandboxUrl, 'latency', { ms: 4000 });
			const ids = await file(4, Date.now() - POLL_MS, Date.now());
			const count = (await windows()).length;
			await nextWindow(count);
			// The window is logged when the request arrives; its answer is 4 s away.
			await sleep(1000);
			await main.kill();
			await sandboxControl(sandboxUrl, 'latency', { ms: 0 });
			ids.push(...(await file(4, Date.now() - POLL_MS, Date.now())));
			await startMain();
			return [...ids, ...(await fileOverPolls(2))];
		});
		await crash('a worker killed during an execution', async () => {
			let release!: () => void;
			receiver.state.hold = new Promise<void>((r) => (release = r));
			const posts = receiver.state.posts;
			const ids = await file(6, Date.now() - 2 * POLL_MS, Date.now() - POLL_MS);
			await waitFor('an execution to be running', 4 * POLL_MS, () => (receiver.state.posts > posts ? true : undefined));
			const running = [...receiver.byExecution.keys()].at(-1)!;
			const victim = workers.find((w) => w.log().includes(`Worker started execution ${running} `)) ?? workers[0];
			await victim.kill();
			receiver.state.hold = undefined;
			release();
			await victim.startWorker(5);
			return [...ids, ...(await fileOverPolls(2))];
		});
		await crash('Redis restarted between two polls', async () => {
			const read = await nextWindow((await windows()).length);
			await sleep(1000);
			await redis!.restart();
			const ids = await file(4, read.toMs - POLL_MS / 2, Date.now());
			return [...ids, ...(await fileOverPolls(3))];
		});

		// Issue #25: polls that outlast their interval, and a main down for more than two polls.
		await overlappingPolls({ sandboxUrl, main, startMain, receiver, windows, file, fileOverPolls, settle });

		// 3. Recordings downloaded on a worker, served by the main.
		try {
			await sandboxControl(sandboxUrl, 'add', { endpoint: 'callCenterRecords', count: 60, fromMs: Date.parse(RECORDINGS_WINDOW.startTime), toMs: Date.parse(RECORDINGS_WINDOW.endTime) });
			const detail = await queueRecordings({ sandboxUrl, mainUrl: `http://127.0.0.1:${mainPort}`, main, workers, postgres, workflowId: 'queuerecords001', webhookPath: 'queue-recordings' });
			report('recordings: Download Recordings on a worker, binary data in the database store, read back on the main', true, detail);
		} catch (error) {
			report('recordings: Download Recordings on a worker, binary data in the database store, read back on the main', false, (error as Error).message);
		}

		// 4. Load: 20 executions queued at once.
		const want = (await sandboxControl<{ ids: string[] }>(sandboxUrl, `records?endpoint=numberRecords&from=${Date.parse(LOAD_WINDOW.startTime)}&to=${Date.parse(LOAD_WINDOW.endTime)}`)).ids;
		const loadBefore = new Set(receiver.byExecution.keys());
		const started = Date.now();
		await Promise.all(Array.from({ length: 20 }, async () => await fetch(`http://127.0.0.1:${mainPort}/webhook/queue-load`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })));
		const done = await waitFor('20 load executions', 600_000, () => {
			const fresh = [...receiver.byExecution.entries()].filter(([id]) => !loadBefore.has(id)).map(([, ids]) => ids);
			const lists = fresh.filter((ids) => ids.length === 1 && ids[0].includes(','));
			return lists.length >= 20 ? lists : undefined;
		});
		const wallS = ((Date.now() - started) / 1000).toFixed(1);
		const wanted = new Set(want);
		const exactRuns = done.filter(([list]) => {
			const ids = list.split(',');
			return ids.length === want.length && new Set(ids).size === ids.length && ids.every((id) => wanted.has(id));
		}).length;
		const peaks = workers.map((w) => peakRssMb(w.pid));
		const loadIds = [...receiver.byExecution.keys()].filter((id) => !loadBefore.has(id));
		const loadLog = workers.map((w) => loadIds.filter((id) => w.log().includes(`Worker started execution ${id} `)).length);
		report(
			`load: 20 Number Records executions of ${want.length.toLocaleString('en')} records, queued at once, 2 workers with concurrency 5`,
			exactRuns === 20,
			`${exactRuns} of 20 exact in ${wallS} s; peak RSS per worker ${peaks.map((p) => `${p} MB`).join(' and ')}; executions per worker ${loadLog.join(' and ')}`,
		);
	} catch (error) {
		if (error !== ONLY_EXAMPLE) {
			report('queue mode', false, (error as Error).stack ?? String(error));
			for (const p of processes) log(`log tail: ${p.logTail(6)}`);
		}
	} finally {
		for (const p of processes) await p.stop().catch(() => undefined);
		receiver.close();
		sandbox?.stop();
		await redis?.stop();
		try {
			postgres?.stop();
		} catch {
			// already down
		}
		rmSync(work, { recursive: true, force: true });
	}
	for (const o of outcomes) process.stdout.write(`${o.ok ? '✓' : '✗'} ${o.name}: ${o.detail}\n`);
	const failed = outcomes.filter((o) => !o.ok).length;
	process.stdout.write(`queue: ${outcomes.length - failed} passed, ${failed} failed\n`);
	process.exit(failed === 0 && outcomes.length > 0 ? 0 : 1);
}

/** What the issue #25 checks use of the running test: the sandbox, the main, and the helpers that file records and wait. */
interface QueueRun {
	sandboxUrl: string;
	main: N8nInstance;
	startMain: () => Promise<string>;
	receiver: Awaited<ReturnType<typeof startReceiver>>;
	windows: () => Promise<Array<{ fromMs: number; toMs: number; at: number }>>;
	file: (count: number, fromMs: number, toMs: number) => Promise<string[]>;
	fileOverPolls: (polls: number) => Promise<string[]>;
	settle: (filed: string[]) => Promise<void>;
}

/**
 * Issue #25 in queue mode: (1) every answer of the API held back 1.5 poll intervals, so each poll
 * is still running when n8n starts the next; over six polls, every record exactly once. (2) The
 * main killed for two and a half poll intervals (two polls missed; with durable poll cursors the
 * restarted main's scheduler fires the ones it missed at once), records filed meanwhile: exact.
 */
async function overlappingPolls(run: QueueRun): Promise<void> {
	const exactly = async (name: string, act: () => Promise<string[]>) => {
		const before = run.receiver.ids().length;
		const filed = await act();
		await run.settle(filed);
		const result = tally(filed, run.receiver.ids().slice(before));
		report(name, result.exact, result.text);
	};
	await exactly('trigger: polls longer than their interval (every answer 15 s late), six polls, each record once', async () => {
		await sandboxControl(run.sandboxUrl, 'latency', { ms: 1.5 * POLL_MS });
		try {
			return await run.fileOverPolls(6);
		} finally {
			await sandboxControl(run.sandboxUrl, 'latency', { ms: 0 });
		}
	});
	const skipped = (run.main.log().match(/a poll started while the previous one was still running; skipped/g) ?? []).length;
	report('trigger: the polls that started while one ran were skipped', skipped > 0, `${skipped} polls skipped (from the main's log)`);
	await exactly('crash: main killed for two poll intervals and more, then started again: each record once', async () => {
		const read = await waitFor('the next poll', 4 * POLL_MS, async () => {
			const all = await run.windows();
			return all.length > 0 ? all.at(-1) : undefined;
		});
		await sleep(1000);
		await run.main.kill();
		const ids = await run.file(4, read.toMs - POLL_MS, Date.now());
		await sleep(2.5 * POLL_MS);
		ids.push(...(await run.file(4, Date.now() - POLL_MS, Date.now())));
		await run.startMain();
		return [...ids, ...(await run.fileOverPolls(2))];
	});
}

function mkdir(parent: string, name: string): string {
	const dir = join(parent, name);
	require('fs').mkdirSync(dir);
	return dir;
}

main().catch((error) => {
	process.stderr.write(`queue test failed: ${error.stack ?? error}\n`);
	process.exit(1);
});
