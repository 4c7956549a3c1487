import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeGetMany } from '../shared/executeGetMany';
import { getManyOperation, getManyOptions, windowAndLimitFields } from '../shared/getManyFields';
import { voiceListing } from './listing';

const show = { operation: ['getMany'] };

export class VoiceRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Voice Records',
		name: 'voiceRecords',
		icon: { light: 'file:voiceRecords.svg', dark: 'file:voiceRecords.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ "Get many in a time window" }}',
		description: 'Read the voice message call records of your ITNIO Tech or Laaffic account (last two months)',
		defaults: { name: 'Voice Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'callRecordsApi', required: true }],
		properties: [
			getManyOperation('voice records', 'Get the voice calls of a time window within the last two months'),
			...windowAndLimitFields(show),
			getManyOptions(show, [
				{
					displayName: 'Clamp Start to Available Range',
					name: 'clampToAvailableRange',
					type: 'boolean',
					default: false,
					description:
						'Whether to move a Start Time older than two months to the earliest time the API serves (noted in the output pane) instead of failing',
				},
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGetMany(this, voiceListing);
	}
}
