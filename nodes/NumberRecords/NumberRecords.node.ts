import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeReadNode, readNodeProperties } from '../shared/readNode';
import { recordingOptionFields } from '../shared/recordings';
import { numberRecordsListing } from './listing';

export class NumberRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Number Records',
		name: 'numberRecords',
		icon: { light: 'file:numberRecords.svg', dark: 'file:numberRecords.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "summarize" ? "Summarize a time window" : "Get many in a time window" }}',
		description: 'Read the call records of your ITNIO Tech or Laaffic virtual numbers',
		defaults: { name: 'Number Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'callRecordsApi', required: true }],
		properties: readNodeProperties({
			listing: numberRecordsListing,
			records: 'number records',
			getManyDescription: 'Get the call records of a time window',
			getManyOptions: recordingOptionFields(),
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeReadNode(this, numberRecordsListing);
	}
}
