import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeReadNode, readNodeProperties } from '../shared/readNode';
import type { ToolText } from '../shared/toolDescription';
import { voiceListing } from './listing';

/** Both operations read the same window, so both may clamp it. */
const CLAMP_TO_AVAILABLE_RANGE: INodeProperties = {
	displayName: 'Move an Older Start Into the Last Two Months',
	name: 'clampToAvailableRange',
	type: 'boolean',
	default: false,
	description: 'Whether to move a Start Time older than two months to the earliest time the API serves (noted in the output pane) instead of failing',
};

/** What a model reads about these records as a tool (Get Many and Summarize). */
const VOICE_RECORDS_TOOL_TEXT: ToolText = {
	what: 'Lists the voice-message calls of an ITNIO Tech or Laaffic account in a time window (by submit time), newest first. Each record has voiceId, callee (the number called), displayNum (the caller ID shown), submitTime, callTime, ringingTime, answerTime (empty when not answered), hangupTime, callDuration and chargedDuration in seconds, terminationCode (SIP, 200 answered) with terminationLabel, feedbackValue with feedbackLabel (the key pressed), cost (USD), rate and currency (the quoted currency of the rate).',
	limits: 'Only the last two months can be read: an older startTime fails with the earliest allowed time. The API takes 31 days per request and longer windows are split.',
};

export class VoiceRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Voice Records',
		name: 'voiceRecords',
		icon: { light: 'file:voiceRecords.svg', dark: 'file:voiceRecords.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "summarize" ? "Summarize a time window" : "Get many in a time window" }}',
		description: 'Read the voice message call records of your ITNIO Tech or Laaffic account (last two months)',
		defaults: { name: 'Voice Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'callRecordsApi', required: true }],
		properties: readNodeProperties({
			listing: voiceListing,
			toolText: VOICE_RECORDS_TOOL_TEXT,
			records: 'voice records',
			getManyDescription: 'Get the voice calls of a time window within the last two months',
			sharedOptions: [CLAMP_TO_AVAILABLE_RANGE],
			notice: 'Voice records can be read for the last two months only. Windows longer than 31 days are read in parts.',
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeReadNode(this, voiceListing);
	}
}
