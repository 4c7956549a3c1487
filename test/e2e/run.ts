/**
 * `npm run test:e2e`: the package inside real n8n, in the current release and the last 1.x.
 * Packs it (npm pack), installs the tarball the way n8n installs a community package, imports
 * credentials that point at the API sandbox (its own process) and one workflow per node, runs
 * each with `n8n execute` and compares what comes out with the sandbox's own records. The
 * trigger runs in `n8n start` as an active workflow that polls every few seconds and posts what
 * it emits to a receiver here. Each example workflow must import and come back out whole, and
 * its package nodes run against the sandbox (examples.ts). In
 * n8n 2.x the read nodes also run as tools of the AI Agent and behind the MCP Server Trigger.
 */
import { lookup } from 'dns/promises';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { hostname, tmpdir } from 'os';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';

import { ACCOUNT_TIME_ZONE } from '../engine/fixtures';
import { ZoneClock } from '../../nodes/transport/time';
import { sandboxControl } from '../sandbox/control';
import { truth } from '../sandbox/truth';
import { aiAgentChecks } from './agent';
import { readsUnderFiling, triggerUnderFiling } from './filing';
import { attempt, log, sandboxIds } from './checks';
import { exampleChecks } from './examples';
import type { Result } from './checks';
import { RELEASES, ensureN8n } from './n8nInstall';
import type { N8nInstall } from './n8nInstall';
import { mcpChecks } from './mcp';
import { N8nInstance, freePort, packPackage } from './n8nInstance';
import { startReceiver, waitFor } from './receiver';
import { BINARY_DATA_ON_DISK, recordings } from './recordings';
import { startSandboxProcess } from './sandboxProcess';
import type { SandboxProcess } from './sandboxProcess';
import { READ_NODES, lastDays, recordWorkflow, sandboxCredentials, triggerWorkflow } from './workflows';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** How often the e2e triggers poll (see pollEvery). */
const POLL_SECONDS = 10;
/** n8n 2.x keeps binary data on disk, as 3.0 must (no in-memory mode); 1.x keeps its default (in memory). */
const binaryData = (install: N8nInstall): Record<string, string> => (install.release.version.startsWith('1.') ? {} : BINARY_DATA_ON_DISK);
const sameList = (got: string[], want: string[]) => got.length === want.length && got.every((id, i) => id === want[i]);
const sameSet = (got: string[], want: string[]) => got.length === want.length && new Set(got).size === got.length && want.every((id) => got.includes(id));

/** Each read node, run once with `n8n execute`, returns exactly the sandbox's records in the API's order. */
async function readNodes(n8n: N8nInstance, sandboxUrl: string): Promise<Result[]> {
	const cases = [
		{ id: 'e2enumberrecord', name: 'Number Records', type: 'numberRecords', params: lastDays(7), endpoint: 'numberRecords', idField: 'callid', oldestFirst: false },
		{ id: 'e2ecallcenter01', name: 'Call Center Records (100 days: split windows)', type: 'callCenterRecords', params: lastDays(110), endpoint: 'callCenterRecords', idField: 'keyId', oldestFirst: false },
		{ id: 'e2evoicerecords', name: 'Voice Records (45 days: split windows)', type: 'voiceRecords', params: lastDays(45), endpoint: 'voiceRecords', idField: 'voiceId', oldestFirst: false },
		{ id: 'e2eflashcallcdr', name: 'Flash Call CDRs', type: 'flashCallCdrs', params: lastDays(2), endpoint: 'flashCalls', idField: 'id', oldestFirst: true },
	] as const;
	n8n.importWorkflows(cases.map((c) => recordWorkflow(c.id, `E2E ${c.name}`, c.type, c.params)));
	const results: Result[] = [];
	for (const c of cases) {
		results.push(
			await attempt(c.name, async () => {
				const task = n8n.execute(c.id)[READ_NODES[c.type].displayName]?.[0];
				if (!task || task.error || !task.data) throw new Error(task?.error?.message ?? 'the node did not run');
				const got = task.data.main[0].map((item) => String(item.json[c.idField]));
				let want = await sandboxIds(sandboxUrl, c.endpoint);
				if (c.oldestFirst) want = want.reverse();
				if (!sameList(got, want)) throw new Error(`got ${got.length} records, expected the sandbox's ${want.length}`);
				return `${got.length} records, exactly the sandbox's, in order`;
			}),
		);
	}
	return results;
}

/**
 * Limit's execution hint in real n8n: Get Many with Limit 50 over a window holding more says
 * "50 of N records returned (Limit)" in the run data the editor shows, N the sandbox's count.
 */
async function limitHint(n8n: N8nInstance, sandboxUrl: string): Promise<Result> {
	const id = 'e2elimithint001';
	n8n.importWorkflows([recordWorkflow(id, 'E2E Number Records with a Limit', 'numberRecords', { ...lastDays(7), returnAll: false, limit: 50 })]);
	return await attempt('Limit 50 of a larger window adds an execution hint', async () => {
		const task = n8n.execute(id)[READ_NODES.numberRecords.displayName]?.[0] as { error?: { message: string }; data?: unknown; hints?: Array<{ message: string }> } | undefined;
		if (!task || task.error || !task.data) throw new Error(task?.error?.message ?? 'the node did not run');
		const total = (await sandboxIds(sandboxUrl, 'numberRecords')).length;
		const want = `50 of ${total.toLocaleString('en-US')} records returned (Limit). Turn on Return All to get every record of the window.`;
		const hints = (task.hints ?? []).map((hint) => hint.message);
		if (!hints.includes(want)) throw new Error(`hints: ${JSON.stringify(hints)}, expected "${want}"`);
		return `hint: "${want}"`;
	});
}

/**
 * Summarize in real n8n: each read node's Summarize over a fixed window of the sandbox gives the
 * figures computed straight from the sandbox's records (test/sandbox/truth.ts).
 */
async function summarizeNodes(n8n: N8nInstance, sandboxUrl: string): Promise<Result[]> {
	const endMs = Math.floor(Date.now() / 1000) * 1000;
	const cases = [
		{ id: 'e2esumnumber001', type: 'numberRecords', endpoint: 'numberRecords', days: 7, groupBy: ['sipCode'] },
		{ id: 'e2esumcallcntr1', type: 'callCenterRecords', endpoint: 'callCenterRecords', days: 110, groupBy: ['hangupReason', 'agent'] },
		{ id: 'e2esumvoice0001', type: 'voiceRecords', endpoint: 'voiceRecords', days: 45, groupBy: ['terminationCode'] },
		{ id: 'e2esumflash0001', type: 'flashCallCdrs', endpoint: 'flashCalls', days: 2, groupBy: ['hour'] },
	] as const;
	const window = (days: number) => ({ startMs: endMs - days * DAY, endMs });
	n8n.importWorkflows(
		cases.map((c) =>
			recordWorkflow(c.id, `E2E Summarize ${c.type}`, c.type, {
				operation: 'summarize',
				startTime: new Date(window(c.days).startMs).toISOString(),
				endTime: new Date(endMs).toISOString(),
				groupBy: [...c.groupBy],
			}),
		),
	);
	const results: Result[] = [];
	for (const c of cases) {
		results.push(
			await attempt(`Summarize: ${READ_NODES[c.type].displayName} by ${c.groupBy.join(' and ')}`, async () => {
				const task = n8n.execute(c.id)[READ_NODES[c.type].displayName]?.[0];
				if (!task || task.error || !task.data) throw new Error(task?.error?.message ?? 'the node did not run');
				const { startMs } = window(c.days);
				const { records } = await sandboxControl<{ records: Array<Record<string, unknown>> }>(sandboxUrl, `wire?endpoint=${c.endpoint}&from=${startMs}&to=${endMs}`);
				const want = truth({ endpoint: c.endpoint, records, accountTimeZone: ACCOUNT_TIME_ZONE, workflowTimeZone: 'UTC', groupBy: [...c.groupBy] });
				const got = task.data.main[0].map(({ json }) => {
					const { windowStart, windowEnd, groupBy, ...figures } = json;
					return figures;
				});
				const expected = [...want.groups, want.totals];
				if (!isDeepStrictEqual(got, expected)) {
					throw new Error(`figures differ from the sandbox's: got ${JSON.stringify(got.at(-1))}, expected ${JSON.stringify(expected.at(-1))}`);
				}
				return `${String(want.totals.calls)} calls in ${want.groups.length} groups, every figure the sandbox's`;
			}),
		);
	}
	return results;
}

/**
 * n8n's own SSRF protection, which the node leaves names to (it cannot resolve them): a number
 * record whose recording URL names this machine (a name /etc/hosts maps to a loopback address),
 * read in its own n8n with N8N_SSRF_PROTECTION_ENABLED=true and the API allowed by name
 * (N8N_SSRF_ALLOWED_HOSTNAMES=localhost). The node's own rules let the name through; n8n 2.x
 * must refuse it without a connection, and the record keep a recordingError saying so. n8n 1.x
 * has no SSRF protection: there the same file arrives, which is why docs/recordings.md says so.
 */
async function ssrfProtection(install: N8nInstall, work: string, tarball: string): Promise<Result> {
	const blocks = Number(install.release.version.split('.')[0]) >= 2;
	const name = hostname();
	return await attempt(`SSRF protection on, a recording host name that resolves to loopback (${name}) ${blocks ? 'is refused' : 'is not checked in 1.x'}`, async () => {
		const resolved = await lookup(name, { all: true });
		if (!resolved.length || !resolved.every((address) => /^127\./.test(address.address) || address.address === '::1')) {
			throw new Error(`this check needs the machine's host name to resolve to loopback; ${name} resolves to ${resolved.map((a) => a.address).join(', ')}`);
		}
		const now = Date.now();
		const sandbox = await startSandboxProcess({
			seed: 23,
			timeZone: ACCOUNT_TIME_ZONE,
			numberRecords: { count: 40, from: new Date(now - 2 * DAY).toISOString(), to: new Date(now - HOUR).toISOString() },
			recordingBytes: 4_044,
			recordingHostName: name,
		});
		try {
			const folder = join(work, `${install.release.version}-ssrf`);
			mkdirSync(folder);
			const n8n = new N8nInstance(install, folder, tarball, { ...binaryData(install), N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_HOSTNAMES: 'localhost' });
			const apiUrl = sandbox.url.replace('127.0.0.1', 'localhost');
			n8n.importCredentials(sandboxCredentials(apiUrl));
			const id = 'e2essrfcheck001';
			n8n.importWorkflows([recordWorkflow(id, 'E2E SSRF protection', 'numberRecords', { ...lastDays(3), options: { downloadRecordings: true, onMissingRecording: 'continue' } })]);
			const task = n8n.execute(id)[READ_NODES.numberRecords.displayName]?.[0];
			if (!task || task.error || !task.data) throw new Error(task?.error?.message ?? 'the node did not run');
			const items = task.data.main[0].filter((item) => String(item.json.recordingFileUrl ?? '') !== '');
			if (items.length < 5) throw new Error(`only ${items.length} records with a recording`);
			const wrongHost = items.find((item) => new URL(String(item.json.recordingFileUrl)).hostname !== name);
			if (wrongHost) throw new Error(`a recording URL not on ${name}: ${String(wrongHost.json.recordingFileUrl)}`);
			const { requests } = await sandboxControl<{ requests: unknown[] }>(sandbox.url, 'recordings');
			if (blocks) {
				const unrefused = items.find((item) => !/n8n's SSRF protection refused it/.test(String(item.json.recordingError ?? '')) || item.binary);
				if (unrefused) throw new Error(`not refused: ${String(unrefused.json.recordingFileUrl)} (${String(unrefused.json.recordingError ?? 'downloaded')})`);
				if (requests.length !== 0) throw new Error(`the storage host was asked ${requests.length} times`);
				return `${items.length} recordings on ${name} refused by n8n before any connection ("${String(items[0].json.recordingError).replace(/^.*refused it \((.*)\)$/, '$1')}"); the API on localhost allowed`;
			}
			const missing = items.find((item) => !item.binary?.recording);
			if (missing) throw new Error(`1.x: ${String(missing.json.recordingFileUrl)} not downloaded (${String(missing.json.recordingError)})`);
			return `1.x has no SSRF protection: all ${items.length} recordings on ${name} downloaded, as docs/recordings.md says`;
		} finally {
			sandbox.stop();
		}
	});
}

/**
 * The trigger, active in `n8n start`: its first poll emits the backfill, a later poll emits
 * exactly the records filed since (late ones included), and polls with nothing new start no run.
 * Beside it in the same n8n, a Flash Call CDRs trigger meets a second holding 130 flash calls
 * (issue #33): it emits the 100 NXCloud returns for it and the calls after it, each once, and
 * n8n's log says so.
 */
async function triggerPolls(n8n: N8nInstance, sandboxUrl: string): Promise<Result> {
	return await attempt('Call Records Trigger (active, polled by n8n)', async () => {
		const receiver = await startReceiver();
		const flashReceiver = await startReceiver();
		let filing: Awaited<ReturnType<typeof triggerUnderFiling>> | undefined;
		// The crowded second's flash calls leave the shared sandbox afterwards: a Get Many over it fails by design, and the next release's reads run there.
		let crowded: string[] = [];
		try {
			const backfillMs = Date.now() - 6 * HOUR;
			const tag = n8n.version.replace(/\D/g, '').slice(0, 5);
			const id = `e2etrigger${tag}`;
			const flashId = `e2ecrowded${tag}`;
			n8n.importWorkflows([
				triggerWorkflow(id, receiver.url, 'numberRecords', POLL_SECONDS, { backfillFrom: new Date(backfillMs).toISOString(), settleSeconds: 0, lookBackMinutes: 15 }),
				triggerWorkflow(flashId, flashReceiver.url, 'flashCallCdrs', POLL_SECONDS, { settleSeconds: 0, lookBackMinutes: 15 }),
			]);
			n8n.activate(id);
			n8n.activate(flashId);
			// Issue #33: a third trigger, on a sandbox of its own that files calls while it reads.
			filing = await triggerUnderFiling(n8n, tag, POLL_SECONDS);
			await n8n.start(await freePort());

			const backfill = await sandboxIds(sandboxUrl, 'numberRecords', backfillMs, Date.now());
			if (backfill.length === 0) throw new Error('the sandbox has no records to backfill');
			const pollMs = POLL_SECONDS * 1000;
			const [first, firstIds] = await waitFor('the first poll', pollMs + 60_000, () => {
				const runs = [...receiver.byExecution];
				return runs.length > 0 && runs[0][1].length >= backfill.length ? runs[0] : undefined;
			});
			if (!sameSet(firstIds, backfill)) throw new Error(`first poll emitted ${firstIds.length} records, expected the ${backfill.length} since Backfill From`);

			// Filed now, dated up to 30 s back: some fall before the last poll's cursor (late records).
			const now = Date.now();
			const { ids: added } = await sandboxControl<{ ids: string[] }>(sandboxUrl, 'add', { endpoint: 'numberRecords', count: 7, fromMs: now - 30_000, toMs: now - 1_000 });
			// Flash calls dated after the flash trigger's first poll (its floor), which ran on the same tick.
			const crowdedMs = Math.ceil(now / 1000) * 1000 + 1000;
			crowded = (await sandboxControl<{ ids: string[] }>(sandboxUrl, 'add', { endpoint: 'flashCalls', count: 130, fromMs: crowdedMs, toMs: crowdedMs })).ids;
			const { ids: after } = await sandboxControl<{ ids: string[] }>(sandboxUrl, 'add', { endpoint: 'flashCalls', count: 5, fromMs: crowdedMs + 1000, toMs: crowdedMs + 3000 });
			const [second] = await waitFor('a poll that emits the new records', pollMs + 30_000, () => [...receiver.byExecution].find(([execution]) => execution !== first));
			// At least one more poll, which finds nothing new; meanwhile the second run posts all it emitted.
			await new Promise((r) => setTimeout(r, pollMs + 5_000));
			const secondIds = receiver.byExecution.get(second) ?? [];
			if (!sameSet(receiver.byExecution.get(first) ?? [], backfill)) throw new Error('the first poll emitted more records later');
			if (!sameSet(secondIds, added)) throw new Error(`a later poll emitted ${secondIds.length} records, expected the ${added.length} new ones`);
			if (receiver.byExecution.size !== 2) throw new Error(`${receiver.byExecution.size} executions; polls with nothing new must not start one`);

			// What NXCloud returns for a call from that second: its first 100 rows.
			const served = (await sandboxIds(sandboxUrl, 'flashCalls', crowdedMs, crowdedMs)).slice(-100);
			if (crowded.length !== 130 || !served.every((r) => crowded.includes(r))) throw new Error('the sandbox did not file the crowded second');
			const want = [...served, ...after];
			await waitFor('the flash trigger to emit the crowded second', 3 * pollMs + 30_000, () => (want.every((r) => flashReceiver.ids().includes(r)) ? true : undefined));
			await new Promise((r) => setTimeout(r, 2 * pollMs));
			const flashIds = flashReceiver.ids();
			if (!sameSet(flashIds, want)) throw new Error(`the flash trigger emitted ${flashIds.length} records (${new Set(flashIds).size} distinct), expected the ${want.length} NXCloud returns`);
			const secondText = new ZoneClock(ACCOUNT_TIME_ZONE).toPlain(crowdedMs);
			const said = n8n.logTail(1_000_000).split(`emitted 100 flash call cdrs of the second ${secondText} (${ACCOUNT_TIME_ZONE})`).length - 1;
			if (said !== 1) throw new Error(`n8n's log named the crowded second ${said} times, expected once`);
			const underFiling = await filing.check();
			return `first poll: ${firstIds.length} backfilled records; later poll: exactly the ${added.length} filed since; idle polls: no execution; flash calls: a second of 130 emitted the 100 NXCloud returns and the ${after.length} after it once, logged once; ${underFiling}`;
		} catch (error) {
			throw new Error(`${(error as Error).message}; n8n's log ends: ${n8n.logTail(8)}`);
		} finally {
			await n8n.stop();
			receiver.close();
			flashReceiver.close();
			filing?.stop();
			if (crowded.length > 0) await sandboxControl(sandboxUrl, 'remove', { endpoint: 'flashCalls', ids: crowded });
		}
	});
}

/**
 * Issue #17 in a running n8n: one active trigger per source, polled six times while the sandbox
 * files records late, some of them on the last second a poll read. With Look-Back at two poll
 * intervals, the look-back start of the third poll after lands on that second: a trigger that
 * forgot those ids by the millisecond emits them twice. Every record must arrive exactly once.
 */
async function triggerBoundaries(n8n: N8nInstance, sandboxUrl: string): Promise<Result[]> {
	const pollMs = POLL_SECONDS * 1000;
	const tag = n8n.version.replace(/\D/g, '').slice(0, 5);
	const sources = [
		{ source: 'numberRecords', endpoint: 'numberRecords', workflowId: `e2eedgenum${tag}` },
		{ source: 'callCenterRecords', endpoint: 'callCenterRecords', workflowId: `e2eedgecal${tag}` },
	] as const;
	log(`Call Records Trigger on window edges: six polls every ${POLL_SECONDS} s per source, filing late records...`);
	const receivers = await Promise.all(sources.map(() => startReceiver()));
	const options = { lookBackMinutes: (2 * POLL_SECONDS) / 60, settleSeconds: POLL_SECONDS / 2 };
	const filed = sources.map(() => ({ ids: [] as string[], boundarySeconds: new Set<number>() }));
	try {
		n8n.importWorkflows(sources.map(({ source, workflowId }, i) => triggerWorkflow(workflowId, receivers[i].url, source, POLL_SECONDS, options)));
		for (const { workflowId } of sources) n8n.activate(workflowId);
		await n8n.start(await freePort());
		// The first poll only sets the cursor; each later one reads a window. After each of the
		// first four reads, file records on its last second, late ones inside the look-back and
		// fresh ones; two more polls drain what is left.
		const windowsRead = async (endpoint: string) => (await sandboxControl<{ windows: Array<{ fromMs: number; toMs: number }> }>(sandboxUrl, `windows?endpoint=${endpoint}`)).windows;
		// The sandbox's log holds earlier runs' windows too: count from here.
		const before = await Promise.all(sources.map(async ({ endpoint }) => (await windowsRead(endpoint)).length));
		const seen = sources.map(() => 0);
		const deadline = Date.now() + 8 * pollMs + 120_000;
		while (Math.min(...seen) < 6 && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 250));
			for (const [i, { endpoint }] of sources.entries()) {
				const windows = await windowsRead(endpoint);
				if (windows.length - before[i] === seen[i]) continue;
				seen[i] = windows.length - before[i];
				if (seen[i] > 4) continue;
				const { toMs } = windows[windows.length - 1];
				// The trigger emits nothing older than its activation (the first window's start): a
				// late record is filed no earlier, however soon after activation the first read came.
				const floorMs = windows[before[i]].fromMs;
				const add = async (count: number, fromMs: number, untilMs: number) =>
					filed[i].ids.push(...(await sandboxControl<{ ids: string[] }>(sandboxUrl, 'add', { endpoint, count, fromMs, toMs: untilMs })).ids);
				await add(3, toMs, toMs);
				filed[i].boundarySeconds.add(toMs);
				await add(4, Math.max(floorMs, toMs - pollMs / 2), toMs);
				await add(4, toMs + 1000, Date.now());
			}
		}
		// Executions post their records after the poll has read: wait until every filed record has
		// arrived (or a minute has passed), then a little longer for any that would arrive twice.
		await waitFor('the executions to post every filed record', 60_000, () => {
			const emitted = new Set(receivers.flatMap((r) => [...r.byExecution.values()].flat()));
			return filed.every((f) => f.ids.every((id) => emitted.has(id))) ? true : undefined;
		}).catch(() => undefined);
		await new Promise((r) => setTimeout(r, 2 * pollMs));
		const results: Result[] = [];
		for (const [i, { source, endpoint }] of sources.entries()) {
			results.push(
				await attempt(`Call Records Trigger, ${source}: six polls, late records on window edges`, async () => {
					if (seen[i] < 6) throw new Error(`only ${seen[i]} polls read a window in time; n8n's log ends: ${n8n.logTail(8)}`);
					const emitted = [...receivers[i].byExecution.values()].flat();
					const twice = emitted.filter((id, k) => emitted.indexOf(id) !== k);
					const lost = filed[i].ids.filter((id) => !emitted.includes(id));
					const windows = await windowsRead(endpoint);
					const collisions = windows.filter((w) => filed[i].boundarySeconds.has(w.fromMs)).length;
					if (twice.length > 0 || lost.length > 0) throw new Error(`${twice.length} emitted twice (${twice.slice(0, 3).join(', ')}), ${lost.length} lost of ${filed[i].ids.length}`);
					if (collisions === 0) throw new Error('no later look-back started on a second that held filed records: the boundary was not exercised');
					return `${filed[i].ids.length} records filed over ${seen[i]} polls, each emitted once; ${collisions} look-back starts fell on a filed boundary second`;
				}),
			);
		}
		return results;
	} catch (error) {
		return [[`Call Records Trigger on window edges`, false, `${(error as Error).message}; n8n's log ends: ${n8n.logTail(8)}`]];
	} finally {
		await n8n.stop();
		for (const receiver of receivers) receiver.close();
	}
}

/**
 * Issue #25 in a running n8n: every answer of the sandbox held back longer than the poll interval,
 * so each poll is still running when n8n starts the next (n8n does not wait). The trigger must
 * skip the polls that start while one runs; over six polls that read a window, with records filed
 * after each read, every record must arrive exactly once. Voice records: no other e2e trigger reads them.
 */
async function triggerOverlap(n8n: N8nInstance, sandboxUrl: string): Promise<Result> {
	return await attempt('Call Records Trigger, polls longer than their interval: six polls, each record once', async () => {
		const pollMs = POLL_SECONDS * 1000;
		const heldMs = Math.round(1.5 * pollMs);
		const receiver = await startReceiver();
		const id = `e2eoverlap${n8n.version.replace(/\D/g, '').slice(0, 5)}`;
		const filed: string[] = [];
		try {
			n8n.importWorkflows([triggerWorkflow(id, receiver.url, 'voiceRecords', POLL_SECONDS, { lookBackMinutes: (3 * heldMs) / 60_000, settleSeconds: POLL_SECONDS / 2, longCallHours: 0 })]);
			n8n.activate(id);
			await n8n.start(await freePort());
			const windowsRead = async () => (await sandboxControl<{ windows: Array<{ fromMs: number; toMs: number; at: number }> }>(sandboxUrl, 'windows?endpoint=voiceRecords')).windows;
			const before = (await windowsRead()).length;
			await sandboxControl(sandboxUrl, 'latency', { ms: heldMs });
			let reads = 0;
			const deadline = Date.now() + 8 * heldMs + 120_000;
			while (reads < 6 && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 250));
				const windows = await windowsRead();
				if (windows.length - before === reads) continue;
				reads = windows.length - before;
				// After each read: records on its last second, late ones inside the look-back, fresh ones.
				const { toMs } = windows[windows.length - 1];
				const floorMs = windows[before].fromMs;
				for (const [count, fromMs, untilMs] of [
					[3, toMs, toMs],
					[4, Math.max(floorMs, toMs - pollMs), toMs],
					[4, toMs + 1000, Date.now()],
				]) {
					filed.push(...(await sandboxControl<{ ids: string[] }>(sandboxUrl, 'add', { endpoint: 'voiceRecords', count, fromMs, toMs: untilMs })).ids);
				}
			}
			if (reads < 6) throw new Error(`only ${reads} polls read a window in time`);
			// Answers at once again: the next polls drain what the last ones left, then a little longer for repeats.
			await sandboxControl(sandboxUrl, 'latency', { ms: 0 });
			await waitFor('every filed record', 60_000, () => (filed.every((r) => receiver.ids().includes(r)) ? true : undefined)).catch(() => undefined);
			await new Promise((r) => setTimeout(r, 2 * pollMs));
			const emitted = receiver.ids();
			const twice = emitted.filter((r, k) => emitted.indexOf(r) !== k);
			const lost = filed.filter((r) => !emitted.includes(r));
			const skipped = (n8n.logTail(1_000_000).match(/a poll started while the previous one was still running; skipped/g) ?? []).length;
			if (twice.length > 0 || lost.length > 0) throw new Error(`${twice.length} emitted twice, ${lost.length} lost of ${filed.length}`);
			if (skipped === 0) throw new Error('no poll started while another ran: the overlap was not exercised');
			return `${filed.length} records filed over ${reads} polls answered ${heldMs / 1000} s late, each emitted once; ${skipped} polls skipped while one ran`;
		} catch (error) {
			throw new Error(`${(error as Error).message}; n8n's log ends: ${n8n.logTail(8)}`);
		} finally {
			await sandboxControl(sandboxUrl, 'latency', { ms: 0 });
			await n8n.stop();
			receiver.close();
		}
	});
}

async function main() {
	const work = mkdtempSync(join(tmpdir(), 'n8n-call-records-e2e-'));
	const results: Result[] = [];
	let sandbox: SandboxProcess | undefined;
	try {
		// E2E_N8N=2.41.1 runs one release only (while debugging).
		const installs: N8nInstall[] = [];
		for (const release of RELEASES.filter((r) => !process.env.E2E_N8N || r.version === process.env.E2E_N8N)) installs.push(await ensureN8n(release));
		if (installs.length === 0) throw new Error(`E2E_N8N=${process.env.E2E_N8N}: no such release under test/e2e/n8n-locks/`);
		log('building and packing the package');
		const tarball = packPackage(work);

		const now = Date.now();
		const span = (fromDays: number) => ({ from: new Date(now - fromDays * DAY).toISOString(), to: new Date(now - HOUR).toISOString() });
		sandbox = await startSandboxProcess({
			seed: 17,
			timeZone: ACCOUNT_TIME_ZONE,
			numberRecords: { count: 600, ...span(6) },
			callCenterRecords: { count: 500, ...span(100) },
			voiceRecords: { count: 400, ...span(40) },
			flashCalls: { count: 500, ...span(1), granularityMs: 15_000 },
		});

		for (const install of installs) {
			const version = install.release.version;
			log(`n8n ${version}: installing the tarball, importing credentials and workflows`);
			const folder = join(work, version);
			mkdirSync(folder);
			const n8n = new N8nInstance(install, folder, tarball, binaryData(install));
			n8n.importCredentials(sandboxCredentials(sandbox.url));
			// E2E_ONLY=examples,readNodes runs those groups only (while debugging); in this order, all by default.
			const groups: Array<[string, () => Promise<Result | Result[]>]> = [
				['readNodes', async () => [...(await readNodes(n8n, sandbox!.url)), await limitHint(n8n, sandbox!.url)]],
				['summarize', async () => await summarizeNodes(n8n, sandbox!.url)],
				['filing', async () => await readsUnderFiling(n8n)],
				['recordings', async () => await recordings(n8n, sandbox!.url)],
				['examples', async () => await exampleChecks(n8n)],
				// The AI Agent (v3) and the MCP Server Trigger as n8n 2.x has them.
				['agent', async () => (version.startsWith('2.') ? [...(await aiAgentChecks(n8n, sandbox!.url)), ...(await mcpChecks(n8n, sandbox!.url))] : [])],
				// Before triggerPolls: its workflow stays active and would read number records too.
				['triggerBoundaries', async () => await triggerBoundaries(n8n, sandbox!.url)],
				['triggerOverlap', async () => await triggerOverlap(n8n, sandbox!.url)],
				['triggerPolls', async () => await triggerPolls(n8n, sandbox!.url)],
				['ssrf', async () => await ssrfProtection(install, work, tarball)],
			];
			const only = process.env.E2E_ONLY?.split(',').map((g) => g.trim());
			const run: Result[] = [];
			for (const [name, group] of groups) {
				if (only && !only.includes(name)) continue;
				const result = await group();
				run.push(...(typeof result[0] === 'string' ? [result as Result] : (result as Result[])));
			}
			results.push(...run.map(([name, ok, detail]): Result => [`n8n ${version}: ${name}`, ok, detail]));
		}
	} finally {
		sandbox?.stop();
		rmSync(work, { recursive: true, force: true });
	}
	for (const [name, ok, detail] of results) process.stdout.write(`${ok ? '✓' : '✗'} ${name}: ${detail}\n`);
	const failed = results.filter(([, ok]) => !ok).length;
	process.stdout.write(`e2e: ${results.length - failed} passed, ${failed} failed\n`);
	process.exit(failed === 0 && results.length > 0 ? 0 : 1);
}

main().catch((error) => {
	process.stderr.write(`e2e failed: ${error.stack ?? error}\n`);
	process.exit(1);
});
