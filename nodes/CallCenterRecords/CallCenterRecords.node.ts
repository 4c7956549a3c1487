import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeReadNode, readNodeProperties } from '../shared/readNode';
import { recordingOptionFields } from '../shared/recordings';
import { callCenterFilterFields } from './filters';
import { callCenterListing } from './listing';

export class CallCenterRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Call Center Records',
		name: 'callCenterRecords',
		icon: { light: 'file:callCenterRecords.svg', dark: 'file:callCenterRecords.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "summarize" ? "Summarize a time window" : "Get many in a time window" }}',
		description: 'Read the agent call records of your ITNIO Tech or Laaffic call center',
		defaults: { name: 'Call Center Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'callRecordsApi', required: true }],
		properties: readNodeProperties({
			listing: callCenterListing,
			records: 'call center records',
			getManyDescription: 'Get the agent calls of a time window, of any length',
			filters: callCenterFilterFields,
			getManyOptions: recordingOptionFields(),
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeReadNode(this, callCenterListing);
	}
}
