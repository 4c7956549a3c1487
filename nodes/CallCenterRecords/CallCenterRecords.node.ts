import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeGetMany } from '../shared/executeGetMany';
import { getManyOperation, getManyOptions, windowAndLimitFields } from '../shared/getManyFields';
import { recordingOptionFields } from '../shared/recordings';
import { callCenterFilterFields } from './filters';
import { callCenterListing } from './listing';

const show = { operation: ['getMany'] };

export class CallCenterRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Call Center Records',
		name: 'callCenterRecords',
		icon: { light: 'file:callCenterRecords.svg', dark: 'file:callCenterRecords.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ "Get many in a time window" }}',
		description: 'Read the agent call records of your ITNIO Tech or Laaffic call center',
		defaults: { name: 'Call Center Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'callRecordsApi', required: true }],
		properties: [
			getManyOperation('call center records', 'Get the agent calls of a time window, of any length'),
			...windowAndLimitFields(show),
			callCenterFilterFields(show),
			getManyOptions(show, recordingOptionFields()),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGetMany(this, callCenterListing);
	}
}
