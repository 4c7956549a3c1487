/**
 * Runs workflows through n8n-core's real execution engine (WorkflowExecute, the node execution
 * contexts and their HTTP helpers), with a credentials helper that calls the package's own
 * credential `authenticate`, the way n8n does. Nothing here fakes a node's `this`.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsHelper as CredentialsHelperType,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, Workflow, createDeferredPromise } from 'n8n-workflow';

import { credentialClasses, nodeClasses, PACKAGE_NAME } from './packageTypes';

export class PackageNodeTypes implements INodeTypes {
	getByName(nodeType: string): INodeType {
		const short = nodeType.startsWith(`${PACKAGE_NAME}.`) ? nodeType.slice(PACKAGE_NAME.length + 1) : nodeType;
		const type = nodeClasses[short] ?? (short.endsWith('Tool') ? toolVariant(nodeClasses[short.slice(0, -'Tool'.length)]) : undefined);
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType);
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * The `<name>Tool` type n8n generates for a usableAsTool node (n8n's tool-generation): the same
 * code under a type name ending in Tool, which is what '@tool' display options and the node's
 * own tool check look at. The AI Agent's and MCP's side of it is proven by the e2e.
 */
function toolVariant(type: INodeType | undefined): INodeType | undefined {
	if (!type?.description.usableAsTool) return undefined;
	const variant = Object.create(type) as INodeType;
	variant.description = { ...type.description, name: `${type.description.name}Tool`, displayName: `${type.description.displayName} Tool` };
	return variant;
}

/** Hands out decrypted credentials by type and signs requests with the credential's own code. */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** How often a credential was read: in n8n each read is a database query and a decryption. */
	reads = 0;

	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	/** As n8n's credentials helper: a function is called; a generic block's expressions are resolved and merged. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	) {
		const authenticate = credentialClasses[typeName]?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		const out = { ...requestOptions } as IHttpRequestOptions & Record<string, IDataObject | undefined>;
		for (const [target, values] of Object.entries(authenticate.properties) as Array<[string, IDataObject]>) {
			const resolved: IDataObject = {};
			for (const [key, value] of Object.entries(values)) {
				resolved[key] = workflow.expression.getSimpleParameterValue(node, value as string, 'internal', { $credentials: credentials }) as string;
			}
			out[target] = { ...(out[target] ?? {}), ...resolved };
		}
		return out;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	getCredentialsProperties() {
		return [];
	}

	async getDecrypted(_additionalData: IWorkflowExecuteAdditionalData, _nodeCredentials: INodeCredentialsDetails, type: string) {
		const data = this.credentials[type];
		if (!data) throw new Error(`No credentials of type ${type} in this test`);
		this.reads++;
		return { ...data };
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by these nodes');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	isCredentialUsableByNode() {
		return true;
	}

	getOAuth2Options() {
		return undefined;
	}
}

export function buildAdditionalData(
	credentialsHelper: CredentialsHelperType,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const notUsed = () => {
		throw new Error('not used by these nodes');
	};
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: notUsed,
		getRunExecutionData: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: notUsed,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeRunOptions {
	/** Short node type, e.g. numberRecords; with `external`, the type's full name (n8n-nodes-base.summarize). */
	type: string;
	/** A node type from outside the package (the benchmark runs n8n's own Summarize node), at `typeVersion`. */
	external?: { nodeType: INodeType; typeVersion: number };
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Items fed into the node; one empty item by default. */
	input?: IDataObject[];
	timezone?: string;
	continueOnFail?: boolean;
	mode?: WorkflowExecuteMode;
}

export interface NodeRunResult {
	run: IRun;
	items: INodeExecutionData[];
	/** The node's error when the run failed. */
	error?: { message: string; description?: string | null; [key: string]: unknown };
	/** How often the node read its credential (see TestCredentialsHelper.reads). */
	credentialReads: number;
}

/** Executes one node of the package inside a real workflow run and returns what it output. */
export async function runNode(options: NodeRunOptions): Promise<NodeRunResult> {
	const { external } = options;
	const nodeTypes: INodeTypes = external
		? { getByName: () => external.nodeType, getByNameAndVersion: () => external.nodeType, getKnownTypes: () => ({}) }
		: new PackageNodeTypes();
	const node: INode = {
		id: 'node-under-test',
		name: 'Node Under Test',
		type: external ? options.type : `${PACKAGE_NAME}.${options.type}`,
		typeVersion: external?.typeVersion ?? 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: Object.fromEntries(Object.keys(options.credentials).map((type) => [type, { id: `${type}-id`, name: type }])),
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: { timezone: options.timezone ?? 'UTC' },
	});
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as never);
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));
	const credentialsHelper = new TestCredentialsHelper(options.credentials);
	const additionalData = buildAdditionalData(credentialsHelper, hooks);
	const input: INodeExecutionData[] = (options.input ?? [{}]).map((json) => ({ json }));
	const stack: IExecuteData[] = [{ node, data: { main: [input] }, source: null }];
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			nodeExecutionStack: stack,
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const run = await done.promise;
	const taskData = run.data.resultData.runData[node.name]?.[0];
	const error = (taskData?.error ?? run.data.resultData.error) as NodeRunResult['error'];
	return { run, items: taskData?.data?.main?.[0] ?? [], error, credentialReads: credentialsHelper.reads };
}
