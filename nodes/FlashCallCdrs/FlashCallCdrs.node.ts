import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeReadNode, readNodeProperties } from '../shared/readNode';
import { flashCallListing } from './listing';

export class FlashCallCdrs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flash Call CDRs',
		name: 'flashCallCdrs',
		icon: { light: 'file:flashCallCdrs.svg', dark: 'file:flashCallCdrs.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "summarize" ? "Summarize a time window" : "Get many in a time window" }}',
		description: 'Read the flash-call records (CDRs) of your NXCloud application',
		defaults: { name: 'Flash Call CDRs' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nxCloudApi', required: true }],
		properties: readNodeProperties({
			listing: flashCallListing,
			records: 'flash call records',
			getManyDescription: 'Get the flash calls of a time window, oldest first',
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeReadNode(this, flashCallListing);
	}
}
