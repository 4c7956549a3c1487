/**
 * `npm run demo`: the package in a real n8n on localhost. Starts the API sandbox with a realistic
 * data set, installs n8n (once per lock file, into $XDG_CACHE_HOME or ~/.cache, under n8n-nodes-call-records) and this package's
 * `npm pack` tarball into a fresh n8n user folder, imports credentials that point at the sandbox,
 * one workflow per node and the example workflows, runs Number Records once with the n8n CLI to
 * show its output, then starts the editor and prints its URL and login. Ctrl+C stops everything.
 *
 * Flags: --port N (editor port, default 5678), --check (CI: on a free port, log in, check the editor
 * lists the package's nodes, stop).
 */
import { readFileSync } from 'fs';
import { join, resolve } from 'path';

import { DEMO_OWNER, prepareDemo } from '../test/e2e/demoInstance';
import { freePort } from '../test/e2e/n8nInstance';
import { CREDENTIAL_NAMES, READ_NODES } from '../test/e2e/workflows';
import { sandboxControl } from '../test/sandbox/control';

const ROOT = resolve(__dirname, '..');

function flag(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : undefined;
}

const say = (line = '') => process.stdout.write(`${line}\n`);

/** For --check: the demo login works and the editor serves this package's node types. */
async function checkEditor(url: string): Promise<number> {
	const login = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: DEMO_OWNER.email, password: DEMO_OWNER.password }),
	});
	if (!login.ok) throw new Error(`logging in as ${DEMO_OWNER.email} failed with HTTP ${login.status}`);
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	const types = (await (await fetch(`${url}/types/nodes.json`, { headers: { cookie } })).json()) as Array<{ name: string }>;
	const ours = types.map((t) => t.name).filter((name) => name.startsWith('n8n-nodes-call-records.'));
	const nodes = ours.filter((name) => !name.endsWith('Tool'));
	const tools = ours.filter((name) => name.endsWith('Tool'));
	const expected = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } }).n8n.nodes.length;
	// Every node, and an AI-agent tool variant of each read node (usableAsTool).
	if (nodes.length !== expected || tools.length !== expected - 1) throw new Error(`the editor lists ${ours.join(', ')}; expected ${expected} nodes and ${expected - 1} tools`);
	// Every icon, light and dark, of the package's nodes and credentials is served.
	const credentials = (await (await fetch(`${url}/types/credentials.json`, { headers: { cookie } })).json()) as Array<{ name: string; iconUrl?: unknown }>;
	const iconUrls = [...types.filter((t) => ours.includes(t.name)), ...credentials.filter((c) => ['callRecordsApi', 'nxCloudApi'].includes(c.name))].flatMap(
		(t) => Object.values(((t as { iconUrl?: Record<string, string> }).iconUrl ?? {}) as Record<string, string>),
	);
	for (const icon of iconUrls) {
		const response = await fetch(`${url}/${icon}`, { headers: { cookie } });
		if (!response.ok || !(await response.text()).startsWith('<svg')) throw new Error(`the icon ${icon} is not served (HTTP ${response.status})`);
	}
	if (iconUrls.length !== 2 * (ours.length + 2)) throw new Error(`expected a light and a dark icon for each node and credential, found ${iconUrls.length}`);
	return ours.length;
}

async function main() {
	const check = process.argv.includes('--check');
	const { install, n8n, sandbox, folder, workflowNames, stop: stopDemo } = await prepareDemo();
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		await stopDemo();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		say(`Installed the package into n8n ${install.release.version}, with credentials and workflows.`);
		say('Running "Demo: Number Records" with the n8n CLI...');
		const task = n8n.execute('demonumberrecor')[READ_NODES.numberRecords.displayName]?.[0];
		if (!task?.data) throw new Error(`Number Records did not run: ${task?.error?.message ?? 'no output'}`);
		const records = task.data.main[0].map((item) => item.json);
		const { ids } = await sandboxControl<{ ids: string[] }>(sandbox.url, `records?endpoint=numberRecords&from=0&to=${Date.now()}`);
		const { requests } = await sandboxControl<{ requests: number }>(sandbox.url, 'stats');
		say(`n8n returned ${records.length} number records (the sandbox holds ${ids.length}) over ${requests} signed requests. The newest five:`);
		console.table(records.slice(0, 5).map((r) => ({ callid: r.callid, startTime: r.startTime, country: r.country, duration: r.callDuration, pay: r.pay, sipCode: r.sipCode })));

		const port = Number(flag('port') ?? (check ? await freePort() : 5678));
		const url = await n8n.start(port);
		say();
		say(`n8n ${install.release.version} is running with n8n-nodes-call-records: ${url}`);
		say(`  Log in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
		say(`  Credentials: "${CREDENTIAL_NAMES.callRecordsApi}" and "${CREDENTIAL_NAMES.nxCloudApi}", pointing at the API sandbox on ${sandbox.url}`);
		say(`  Workflows: ${workflowNames.map((name) => `"${name}"`).join(', ')}`);
		say('  Open one and press "Execute workflow". The examples need your own Google Sheets / Slack credentials for their last step.');
		say(`  n8n's own log: ${join(folder, 'n8n-start.log')}`);
		if (check) {
			const count = await checkEditor(url);
			say(`Check passed: the owner can log in, the editor lists the package's ${count} node types (nodes and their tool variants), and serves every light and dark icon.`);
			return await stop(0);
		}
		say('Press Ctrl+C to stop n8n and the sandbox.');
	} catch (error) {
		process.stderr.write(`Demo failed: ${(error as Error).message}\n`);
		await stop(1);
	}
}

void main();
