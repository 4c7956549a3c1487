import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeReadNode, readNodeProperties } from '../shared/readNode';
import type { ToolText } from '../shared/toolDescription';
import { recordingOptionFields } from '../shared/recordings';
import { callCenterFilterFields } from './filters';
import { callCenterListing } from './listing';

/** What a model reads about these records as a tool (Get Many and Summarize). */
const CALL_CENTER_RECORDS_TOOL_TEXT: ToolText = {
	what: "Lists the agent calls of an ITNIO Tech or Laaffic call center in a time window (by call start), newest first. Each record has keyId, seatName (the agent's name; records carry no agent ID), sipGroupName and voiceGroupId (the agent group), callType with callTypeLabel (1 group call transferred to agent, 2 incoming, 3 outgoing), caller, encryptCalled (the customer's number), countryCode and countryName, callStartTime, calledAnswerTime (null when not answered), calledHangupTime, callDuration and ringDuration in seconds, hangupReason with hangupReasonLabel, hangingDirection with its label, hangupCode (SIP) and labelName (tags).",
	limits: 'Any window length works: the API takes 93 days per request and longer windows are split.',
	filters: 'Optional filters (comma-separated text or a JSON array): seatIds, seatNames, callTypes, hangupReasons (codes or labels: 0 outgoing not answered, 1 outgoing hung up, 2 transfer ringing hung up, 3 transfer successful hung up, 4 call failed, 5 operator has no service, 6 not in service area, 7 busy, 8 incoming not answered, 9 incoming hung up), hangingDirections (0 customer, 1 agent, 3 none), countryCodes (e.g. 86), tagNames, calledOrCaller (a number), sipGroupName, voiceGroupId.',
};

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
			toolText: CALL_CENTER_RECORDS_TOOL_TEXT,
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
