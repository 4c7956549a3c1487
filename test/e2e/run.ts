/**
 * `npm run test:e2e`: the package inside a real n8n. Packs it (npm pack), installs the tarball
 * into an n8n user folder the way n8n installs a community package, imports credentials that
 * point at the API sandbox (running in its own process) and one workflow per node, runs each
 * with the n8n CLI, and compares what comes out with the sandbox's own records. (The CLI cannot
 * start a workflow from a polling trigger; the trigger is polled through n8n-core's PollContext
 * in the jest suite.)
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

import { ACCOUNT_TIME_ZONE } from '../engine/fixtures';
import { sandboxControl } from '../sandbox/control';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import { DEMO_ACCOUNT } from '../sandbox/server';
import type { SandboxOptions } from '../sandbox/server';
import { ensureN8n } from './n8nInstall';
import { CREDENTIAL_IDS, recordWorkflow } from './workflows';

const ROOT = resolve(__dirname, '..', '..');
const DAY = 86_400_000;
const log = (message: string) => process.stdout.write(`[e2e] ${message}\n`);

async function startSandbox(options: SandboxOptions): Promise<{ url: string; stop: () => void }> {
	const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'sandbox.ts'), '--config', JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
	const url = await new Promise<string>((ok, fail) => {
		child.stdout.once('data', (chunk: Buffer) => ok(chunk.toString().split('\n')[0].trim()));
		child.once('exit', (code) => fail(new Error(`sandbox exited with ${code}`)));
	});
	return { url, stop: () => child.kill('SIGTERM') };
}

async function sandboxIds(url: string, endpoint: string): Promise<string[]> {
	return (await sandboxControl<{ ids: string[] }>(url, `records?endpoint=${endpoint}&from=0&to=${Date.now() + DAY}`)).ids;
}

async function main() {
	const n8n = ensureN8n();
	const work = mkdtempSync(join(tmpdir(), 'n8n-call-records-e2e-'));
	const results: Array<[string, boolean, string]> = [];
	let sandbox: { url: string; stop: () => void } | undefined;
	try {
		log('building and packing the package');
		execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
		execFileSync('npm', ['pack', '--pack-destination', work], { cwd: ROOT, stdio: 'ignore' });
		const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);

		const userFolder = join(work, 'user');
		const nodesDir = join(userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		log('installing the tarball into the n8n user folder');
		execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', tarball], { cwd: nodesDir, stdio: 'ignore' });

		const now = Date.now();
		const span = (fromDays: number) => ({ from: new Date(now - fromDays * DAY).toISOString(), to: new Date(now - 3_600_000).toISOString() });
		sandbox = await startSandbox({
			seed: 17,
			timeZone: ACCOUNT_TIME_ZONE,
			numberRecords: { count: 600, ...span(6) },
			callCenterRecords: { count: 500, ...span(100) },
			voiceRecords: { count: 400, ...span(40) },
			flashCalls: { count: 500, ...span(1), granularityMs: 15_000 },
		});
		const { url } = sandbox;

		const env = {
			...process.env,
			PATH: `${join(n8n.nodeBin, '..')}:${process.env.PATH}`,
			N8N_USER_FOLDER: userFolder,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_RUNNERS_ENABLED: 'false',
			N8N_ENCRYPTION_KEY: 'call-records-e2e-key',
			GENERIC_TIMEZONE: 'UTC',
		};
		// Output goes to a file: n8n exits before a large write to a pipe has drained.
		const cli = (args: string[]) => {
			const outFile = join(work, 'cli-output.txt');
			const out = openSync(outFile, 'w');
			const run = spawnSync(n8n.nodeBin, [n8n.n8nBin, ...args], { cwd: work, env, stdio: ['ignore', out, 'pipe'], timeout: 240_000, encoding: 'utf8' });
			closeSync(out);
			const output = readFileSync(outFile, 'utf8');
			if (run.status !== 0) throw new Error(`n8n ${args[0]} exited with ${run.status}: ${(run.stderr || output).trim().split('\n').slice(-3).join(' ')}`);
			return output;
		};

		writeFileSync(
			join(work, 'credentials.json'),
			JSON.stringify([
				{
					id: CREDENTIAL_IDS.callRecordsApi,
					name: 'E2E callRecordsApi',
					type: 'callRecordsApi',
					data: { platform: 'custom', baseUrl: url, pathStyle: 'legacy', apiKey: DEMO_ACCOUNT.apiKey, apiSecret: DEMO_ACCOUNT.apiSecret, timeZone: ACCOUNT_TIME_ZONE },
				},
				{
					id: CREDENTIAL_IDS.nxCloudApi,
					name: 'E2E nxCloudApi',
					type: 'nxCloudApi',
					data: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: url, timeZone: ACCOUNT_TIME_ZONE },
				},
			]),
		);
		const window = (days: number) => ({ startTime: `={{ $now.minus({ days: ${days} }).toISO() }}`, endTime: '={{ $now.toISO() }}', returnAll: true });
		const cases = [
			{ id: 'e2enumberrecord', name: 'Number Records', workflow: recordWorkflow('e2enumberrecord', 'numberRecords', { operation: 'getMany', ...window(7) }, 'callRecordsApi'), endpoint: 'numberRecords', idField: 'callid', order: 'newest' },
			{ id: 'e2ecallcenter01', name: 'Call Center Records (100 days: split windows)', workflow: recordWorkflow('e2ecallcenter01', 'callCenterRecords', { operation: 'getMany', ...window(110) }, 'callRecordsApi'), endpoint: 'callCenterRecords', idField: 'keyId', order: 'newest' },
			{ id: 'e2evoicerecords', name: 'Voice Records (45 days: split windows)', workflow: recordWorkflow('e2evoicerecords', 'voiceRecords', { operation: 'getMany', ...window(45) }, 'callRecordsApi'), endpoint: 'voiceRecords', idField: 'voiceId', order: 'newest' },
			{ id: 'e2eflashcallcdr', name: 'Flash Call CDRs', workflow: recordWorkflow('e2eflashcallcdr', 'flashCallCdrs', { operation: 'getMany', ...window(2) }, 'nxCloudApi'), endpoint: 'flashCalls', idField: 'id', order: 'oldest' },
		];
		writeFileSync(join(work, 'workflows.json'), JSON.stringify(cases.map((c) => c.workflow)));
		log('importing credentials and workflows');
		cli(['import:credentials', `--input=${join(work, 'credentials.json')}`]);
		cli(['import:workflow', `--input=${join(work, 'workflows.json')}`]);

		for (const c of cases) {
			try {
				const output = cli(['execute', '--id', c.id, '--rawOutput']);
				const json = output.slice(output.search(/^\{/m));
				const run = JSON.parse(json);
				const task = run.data.resultData.runData['Under Test']?.[0];
				if (!task || task.error) throw new Error(task?.error?.message ?? 'the node did not run');
				const got = (task.data.main[0] as Array<{ json: Record<string, unknown> }>).map((item) => String(item.json[c.idField]));
				let want = await sandboxIds(url, c.endpoint);
				if (c.order === 'oldest') want = want.reverse();
				const same = got.length === want.length && got.every((id, i) => id === want[i]);
				results.push([c.name, same, same ? `${got.length} records, exactly the sandbox's` : `got ${got.length}, expected ${want.length}`]);
			} catch (error) {
				results.push([c.name, false, String((error as Error).message).split('\n').slice(0, 3).join(' ')]);
			}
		}

		// The example workflows: each imports into n8n and comes back out of its database whole.
		const examplesDir = join(ROOT, 'examples');
		for (const file of readdirSync(examplesDir).filter((f) => f.endsWith('.json'))) {
			const example = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { name: string; nodes: Array<{ type: string }> };
			try {
				cli(['import:workflow', `--input=${join(examplesDir, file)}`]);
				const exported = JSON.parse(cli(['export:workflow', '--all']).replace(/^[^[]*/, '')) as Array<{ name: string; nodes: Array<{ type: string }> }>;
				const found = exported.find((w) => w.name === example.name);
				const ok = !!found && found.nodes.map((n) => n.type).join() === example.nodes.map((n) => n.type).join();
				results.push([`example ${file}`, ok, ok ? `imported: ${example.nodes.length} nodes` : 'not found after import']);
			} catch (error) {
				results.push([`example ${file}`, false, String((error as Error).message)]);
			}
		}
	} finally {
		sandbox?.stop();
		rmSync(work, { recursive: true, force: true });
	}
	for (const [name, ok, detail] of results) process.stdout.write(`${ok ? '✓' : '✗'} n8n ${'2.40.7'}: ${name}: ${detail}\n`);
	const failed = results.filter(([, ok]) => !ok).length;
	process.stdout.write(`e2e: ${results.length - failed} passed, ${failed} failed\n`);
	process.exit(failed === 0 && results.length > 0 ? 0 : 1);
}

main().catch((error) => {
	process.stderr.write(`e2e failed: ${error.stack ?? error}\n`);
	process.exit(1);
});
