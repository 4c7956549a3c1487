/**
 * The demo's n8n, shared by `npm run demo` and the editor test: the API sandbox with a realistic
 * data set, the current n8n (installed once per lock file) with this package's `npm pack` tarball,
 * credentials that point at the sandbox, one workflow per read node and the example workflows.
 * The owner account comes from n8n's own environment settings, so the editor opens at a login.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'fs';
import { join, resolve } from 'path';

import { ACCOUNT_TIME_ZONE } from '../engine/fixtures';
import { CURRENT_N8N, cacheRoot, ensureN8n } from './n8nInstall';
import type { N8nInstall } from './n8nInstall';
import { N8nInstance, packPackage } from './n8nInstance';
import { startSandboxProcess } from './sandboxProcess';
import type { SandboxProcess } from './sandboxProcess';
import { demoTriggerWorkflow, lastDays, recordWorkflow, sandboxCredentials, withSandboxCredentials } from './workflows';
import type { ReadNodeType } from './workflows';

const ROOT = resolve(__dirname, '..', '..');
const DAY = 86_400_000;

export const DEMO_TRIGGER_WORKFLOW_ID = 'demotriggercall';

export const DEMO_OWNER = { email: 'demo@example.com', password: 'CallRecords-demo-1' };

/**
 * One workflow per read node, reading the last `days` days. The sandbox's records lie a day inside
 * that window, so whenever the workflow runs it returns every record of its endpoint.
 */
export const DEMO_WORKFLOWS: Array<{ id: string; name: string; type: ReadNodeType; endpoint: string; days: number }> = [
	{ id: 'demonumberrecor', name: 'Demo: Number Records (last 7 days)', type: 'numberRecords', endpoint: 'numberRecords', days: 7 },
	{ id: 'democallcenterr', name: 'Demo: Call Center Records (last 120 days)', type: 'callCenterRecords', endpoint: 'callCenterRecords', days: 120 },
	{ id: 'demovoicerecord', name: 'Demo: Voice Records (last 50 days)', type: 'voiceRecords', endpoint: 'voiceRecords', days: 50 },
	{ id: 'demoflashcallcd', name: 'Demo: Flash Call CDRs (last 3 days)', type: 'flashCallCdrs', endpoint: 'flashCalls', days: 3 },
];

/** Summarize in the demo: the call-center KPIs of its 120 days by hang-up reason. */
export const DEMO_SUMMARY_WORKFLOW = { id: 'demosummarize01', name: 'Demo: Call Center KPIs by hang-up reason (last 120 days)', days: 120, groupBy: ['hangupReason'] };

/** The examples, each package node on the sandbox's credential. */
function exampleWorkflows(): Array<{ name: string }> {
	const dir = join(ROOT, 'examples');
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.map((f) => withSandboxCredentials(JSON.parse(readFileSync(join(dir, f), 'utf8'))));
}

export interface Demo {
	install: N8nInstall;
	n8n: N8nInstance;
	sandbox: SandboxProcess;
	folder: string;
	workflowNames: string[];
	stop: () => Promise<void>;
}

/** Everything but `n8n start`: the caller may run the CLI first, then start the editor. */
export async function prepareDemo(): Promise<Demo> {
	const install = await ensureN8n(CURRENT_N8N);
	const folder = join(cacheRoot(), 'demo');
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });
	process.stdout.write('Building and packing the package...\n');
	const tarball = packPackage(folder);

	const now = Date.now();
	const span = (days: number) => ({ from: new Date(now - (days - 1) * DAY).toISOString(), to: new Date(now).toISOString() });
	const days = Object.fromEntries(DEMO_WORKFLOWS.map((w) => [w.endpoint, w.days]));
	// In a process of its own: the n8n CLI calls block this one.
	const sandbox = await startSandboxProcess({
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 3_000, ...span(days.numberRecords) },
		callCenterRecords: { count: 3_000, ...span(days.callCenterRecords) },
		voiceRecords: { count: 2_000, ...span(days.voiceRecords) },
		flashCalls: { count: 3_000, ...span(days.flashCalls), granularityMs: 15_000 },
	});

	process.stdout.write(`Installing the tarball into a fresh n8n ${install.release.version} user folder, importing credentials and workflows...\n`);
	const bcrypt = require(join(install.modules, 'bcryptjs')) as { hashSync: (text: string, rounds: number) => string };
	const n8n = new N8nInstance(install, folder, tarball, {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: DEMO_OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: 'Demo',
		N8N_INSTANCE_OWNER_LAST_NAME: 'User',
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(DEMO_OWNER.password, 10),
	});
	n8n.importCredentials(sandboxCredentials(sandbox.url));
	const workflows = [
		...DEMO_WORKFLOWS.map((w) => recordWorkflow(w.id, w.name, w.type, lastDays(w.days))),
		recordWorkflow(DEMO_SUMMARY_WORKFLOW.id, DEMO_SUMMARY_WORKFLOW.name, 'callCenterRecords', {
			...lastDays(DEMO_SUMMARY_WORKFLOW.days),
			operation: 'summarize',
			returnAll: undefined,
			groupBy: DEMO_SUMMARY_WORKFLOW.groupBy,
		}),
		demoTriggerWorkflow(DEMO_TRIGGER_WORKFLOW_ID),
		...exampleWorkflows(),
	];
	n8n.importWorkflows(workflows);
	return {
		install,
		n8n,
		sandbox,
		folder,
		workflowNames: workflows.map((w) => w.name),
		stop: async () => {
			await n8n.stop();
			sandbox.stop();
		},
	};
}
