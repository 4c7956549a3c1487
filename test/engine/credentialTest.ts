/**
 * Runs a credential's declarative `test` the way n8n's credentials tester does: the request is
 * resolved and sent by n8n-core's RoutingNode inside a real ExecuteContext (so expressions,
 * `authenticate` and the HTTP helper are n8n's own), then the `rules` are applied to the body.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IExecuteData, INode, INodeType, IRunExecutionData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { PackageNodeTypes, TestCredentialsHelper, buildAdditionalData } from './harness';
import { credentialClasses } from './packageTypes';

export async function testCredential(type: string, data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const test = credentialClasses[type].test!;
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['input'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: type, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: test.request } }],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: 'cred', name: 'cred' } },
	};
	const nodeTypes = new PackageNodeTypes();
	nodeTypes.getByName = () => nodeType;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes, settings: { timezone: 'UTC' } });
	const additionalData = buildAdditionalData(new TestCredentialsHelper({ [type]: data }));
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		{ resultData: { runData: {} } } as unknown as IRunExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, { id: 'cred', name: 'cred', type, data });
	let response;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		return { status: 'Error', message: String(error.cause?.code ?? error.message) };
	}
	const body = response![0][0].json;
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
