import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_MAX_PARALLEL_REQUESTS = 16;
export const MAX_PARALLEL_REQUESTS = 32;

/** How long one request may take; in every node's and the trigger's Options. */
export const TIMEOUT_OPTION: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 60,
	description: 'How long to wait for one response before trying again',
};

/** Max Parallel Requests, in the Options of every operation. */
export const MAX_PARALLEL_OPTION: INodeProperties = {
	displayName: 'Max Parallel Requests',
	name: 'maxParallelRequests',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_PARALLEL_REQUESTS },
	default: DEFAULT_MAX_PARALLEL_REQUESTS,
	description: 'How many pages to request at the same time when returning many records. Lowered automatically if the API asks to slow down.',
};

/**
 * The Operation field of a record node: Get Many, and Summarize. Get Many is the default, so a
 * workflow saved before Summarize existed (without the field) still runs Get Many.
 */
export function operationField(records: string, getManyDescription: string, countingRules: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Get Many', value: 'getMany', action: `Get many ${records}`, description: getManyDescription },
			{
				name: 'Summarize',
				value: 'summarize',
				action: `Summarize ${records}`,
				description: `Count the calls of a time window and compute their KPIs, by up to two dimensions. ${countingRules}.`,
			},
		],
		default: 'getMany',
	};
}

/** Which operations show a field: both read a window with the same filters. */
export const GET_MANY = { operation: ['getMany'] };
export const SUMMARIZE = { operation: ['summarize'] };
export const EVERY_OPERATION = { operation: ['getMany', 'summarize'] };

/** Start Time and End Time. */
export function windowFields(show: Record<string, string[]>): INodeProperties[] {
	const displayOptions = { show };
	return [
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			required: true,
			default: '',
			description:
				"Start of the time window. Read in the workflow's time zone unless the value carries an offset (e.g. 2024-01-31T00:00:00+08:00).",
			displayOptions,
		},
		{
			displayName: 'End Time',
			name: 'endTime',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'End of the time window, included: a record at exactly this time is returned. Must be after Start Time; read like it.',
			displayOptions,
		},
	];
}

/** Return All and Limit: how much of the window Get Many returns. */
export function limitFields(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** The Options collection shared by Get Many operations; `extra` adds endpoint-specific ones. */
export function getManyOptions(show: Record<string, string[]>, extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			MAX_PARALLEL_OPTION,
			{
				displayName: 'Raw Output',
				name: 'rawOutput',
				type: 'boolean',
				default: false,
				description:
					'Whether to return the records exactly as the API sent them, instead of with numbers as numbers, ISO 8601 times and readable labels',
			},
			TIMEOUT_OPTION,
			...extra,
		],
	};
}
