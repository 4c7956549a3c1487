/**
 * Polls the package's trigger through n8n-core's real PollContext, keeping the workflow's
 * static data between polls as n8n does (serialised, as it is when saved to the database).
 */
import { PollContext } from 'n8n-core';
import type { IBinaryKeyData, ICredentialDataDecryptedObject, IDataObject, INode, INodeParameters, WorkflowExecuteMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { PackageNodeTypes, TestCredentialsHelper, buildAdditionalData } from './harness';
import { PACKAGE_NAME } from './packageTypes';

/** Each harness is its own workflow: the trigger keeps per-workflow memory in the process (its running polls, its last saved state). */
let workflows = 0;

export class PollHarness {
	staticData: IDataObject = {};
	readonly workflowId = `trigger-workflow-${++workflows}`;
	readonly node: INode;
	/**
	 * The poll budget n8n-workflow 2.41's PollContext reports through getPollBudgetMs(); the engine
	 * here (n8n-core 2.8) has no such method, so a test that sets this adds it, as 2.41 has it.
	 */
	budgetMs?: number;

	constructor(
		parameters: INodeParameters,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
		private readonly timezone = 'UTC',
		typeVersion = 1,
	) {
		this.node = {
			id: 'trigger',
			name: 'Call Records Trigger',
			type: `${PACKAGE_NAME}.callRecordsTrigger`,
			typeVersion,
			position: [0, 0],
			parameters,
			credentials: Object.fromEntries(Object.keys(credentials).map((type) => [type, { id: `${type}-id`, name: type }])),
		};
	}

	/** One poll; `manual` is the editor's test run. Returns the emitted items' JSON and binary data, or the error. */
	async poll(
		mode: WorkflowExecuteMode = 'trigger',
	): Promise<{ items: IDataObject[]; binaries: Array<IBinaryKeyData | undefined>; error?: Error & { description?: string } }> {
		const nodeTypes = new PackageNodeTypes();
		const workflow = new Workflow({
			id: this.workflowId,
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: JSON.parse(JSON.stringify(this.staticData)),
			settings: { timezone: this.timezone },
		});
		const context = new PollContext(workflow, this.node, buildAdditionalData(new TestCredentialsHelper(this.credentials)), mode, 'activate');
		const budgetMs = this.budgetMs;
		if (budgetMs !== undefined) Object.assign(context, { getPollBudgetMs: (): number => budgetMs });
		try {
			const out = await nodeTypes.getByName(this.node.type).poll!.call(context);
			return { items: out?.[0].map((item) => item.json) ?? [], binaries: out?.[0].map((item) => item.binary) ?? [] };
		} catch (error) {
			return { items: [], binaries: [], error };
		} finally {
			// Persisted even after a failure: the node must not have moved its cursor then.
			this.staticData = JSON.parse(JSON.stringify(workflow.staticData));
		}
	}

	get state(): IDataObject | undefined {
		return (this.staticData[`node:${this.node.name}`] as IDataObject | undefined)?.state as IDataObject | undefined;
	}
}
