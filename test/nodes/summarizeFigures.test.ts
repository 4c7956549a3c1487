/**
 * Summarize's figures on records shaped as the providers' documents show them, through the real
 * n8n engine against the sandbox over HTTP (issue #34): the agent by name, voice cost and
 * intervals from the voice document's own sample record.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import type { Sandbox, SandboxOptions } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';

const DAY = 86_400_000;
const CC_FROM = Date.parse('2024-03-01T00:00:00Z');
const CC_TO = CC_FROM + 3 * DAY;

async function withSandbox<T>(options: SandboxOptions, work: (sandbox: Sandbox) => Promise<T>): Promise<T> {
	const sandbox = await startSandbox({ seed: 34, timeZone: ACCOUNT_TIME_ZONE, ...options });
	try {
		return await work(sandbox);
	} finally {
		await sandbox.stop();
	}
}

function summarize(sandbox: Sandbox, type: string, startMs: number, endMs: number, parameters: IDataObject = {}, timezone = 'UTC') {
	return runNode({
		type,
		parameters: { operation: 'summarize', startTime: new Date(startMs).toISOString(), endTime: new Date(endMs).toISOString(), ...parameters } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox),
		timezone,
	});
}

const groupsOf = (items: Array<{ json: IDataObject }>) => items.filter((item) => item.json.row === 'group').map((item) => item.json);
const totalsOf = (items: Array<{ json: IDataObject }>) => items[items.length - 1].json;

/** Each agent's calls in the sandbox's own records, by the name the answers carry. */
function callsPerAgent(sandbox: Sandbox): Map<string, number> {
	const counts = new Map<string, number>();
	for (const record of sandbox.recordsIn('callCenterRecords', CC_FROM, CC_TO)) {
		const name = String(record.wire.seatName);
		counts.set(name, (counts.get(name) ?? 0) + 1);
	}
	return counts;
}

describe('Summarize by Agent', () => {
	const records = { callCenterRecords: { count: 400, from: new Date(CC_FROM).toISOString(), to: new Date(CC_TO).toISOString() } };

	test('records as the document shows them (seatName, no seatId): one group per agent name, each with exactly its calls', async () => {
		await withSandbox(records, async (sandbox) => {
			const result = await summarize(sandbox, 'callCenterRecords', CC_FROM, CC_TO, { groupBy: ['agent'] });
			expect(result.error).toBeUndefined();
			const want = callsPerAgent(sandbox);
			expect(want.size).toBeGreaterThanOrEqual(3);
			const groups = groupsOf(result.items);
			expect(Object.fromEntries(groups.map((g) => [g.agent, g.calls]))).toEqual(Object.fromEntries(want));
			for (const group of groups) expect(group.agentLabel).toBe(group.agent);
			expect(totalsOf(result.items).calls).toBe(400);
		});
	});

	test('records that carry seatId anyway are grouped by it, with the name beside it', async () => {
		await withSandbox({ ...records, undocumentedSeatId: true }, async (sandbox) => {
			const result = await summarize(sandbox, 'callCenterRecords', CC_FROM, CC_TO, { groupBy: ['agent'] });
			expect(result.error).toBeUndefined();
			const want = callsPerAgent(sandbox);
			const groups = groupsOf(result.items);
			expect(Object.fromEntries(groups.map((g) => [g.agentLabel, g.calls]))).toEqual(Object.fromEntries(want));
			for (const group of groups) expect(group.agent).toBe(Number(String(group.agentLabel).replace('agent-', '')));
		});
	});
});
