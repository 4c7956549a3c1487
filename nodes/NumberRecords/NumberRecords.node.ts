import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeReadNode, readNodeProperties } from '../shared/readNode';
import type { ToolText } from '../shared/toolDescription';
import { recordingOptionFields } from '../shared/recordings';
import { numberRecordsListing } from './listing';

/** What a model reads about these records as a tool (Get Many and Summarize). */
const NUMBER_RECORDS_TOOL_TEXT: ToolText = {
	what: 'Lists the calls of the virtual numbers of an ITNIO Tech or Laaffic account in a time window (by call start), newest first. Each record has callid, caller, called, callSource with callSourceLabel (2 incoming, 3 outgoing), ccode and country, startTime, endTime, callDuration and chargedDuration in seconds (callDuration 0: not answered), sipCode (200 answered), hangupReason, pay and customerRate with currency, and recordingFileUrl.',
	limits: 'Any window length works.',
};

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
			toolText: NUMBER_RECORDS_TOOL_TEXT,
			records: 'number records',
			getManyDescription: 'Get the call records of a time window',
			getManyOptions: recordingOptionFields(),
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeReadNode(this, numberRecordsListing);
	}
}
