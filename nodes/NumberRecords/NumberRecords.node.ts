import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeGetMany } from '../shared/executeGetMany';
import { getManyOperation, getManyOptions, windowAndLimitFields } from '../shared/getManyFields';
import { getManyToolText, toolDescriptionField } from '../shared/toolDescription';
import { recordingOptionFields } from '../shared/recordings';
import { numberRecordsListing } from './listing';

const show = { operation: ['getMany'] };

/** What a model reads about the Get Many tool. */
const NUMBER_RECORDS_TOOL_TEXT = getManyToolText({
	what: 'Lists the calls of the virtual numbers of an ITNIO Tech or Laaffic account in a time window (by call start), newest first. Each record has callid, caller, called, callSource with callSourceLabel (2 incoming, 3 outgoing), ccode and country, startTime, endTime, callDuration and chargedDuration in seconds (callDuration 0: not answered), sipCode (200 answered), hangupReason, pay and customerRate with currency, and recordingFileUrl.',
	limits: 'Any window length works.',
});

export class NumberRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Number Records',
		name: 'numberRecords',
		icon: { light: 'file:numberRecords.svg', dark: 'file:numberRecords.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ "Get many in a time window" }}',
		description: 'Read the call records of your ITNIO Tech or Laaffic virtual numbers',
		defaults: { name: 'Number Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'callRecordsApi', required: true }],
		properties: [
			getManyOperation('number records', 'Get the call records of a time window'),
			toolDescriptionField(show, NUMBER_RECORDS_TOOL_TEXT),
			...windowAndLimitFields(show),
			getManyOptions(show, recordingOptionFields()),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGetMany(this, numberRecordsListing);
	}
}
