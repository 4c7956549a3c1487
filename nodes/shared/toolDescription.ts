import type { INodeProperties } from 'n8n-workflow';

/**
 * What a model reads about a node used as a tool: its only manual. n8n takes a tool's description
 * from a `toolDescription` parameter when the node has one (and then adds none of its own), so each
 * node gives one, shown only in the tool variant and editable there. The node's own `description`
 * stays the short line of the node creator.
 */

/** The window as every Get Many tool takes it. */
const WINDOW =
	'Give startTime and endTime as ISO 8601, e.g. 2024-05-01T00:00:00Z or 2024-05-01T08:00:00+08:00; without an offset (2024-05-01T00:00:00 or 2024-05-01) a time is read in the workflow\'s time zone.';

/** How the answer is shaped, for every Get Many tool. */
const ANSWER =
	'The answer is JSON: complete (true when every record of the window is included), recordsInWindow (how many the window holds), returned, a note saying how to get the rest, and records. Answers are capped in size, so for counts, rates or totals over many calls use recordsInWindow, never the length of records.';

export interface ToolText {
	/** What the records are, and what a record holds. */
	what: string;
	/** The window's limits. */
	limits: string;
	/** Filters a model may set, if any. */
	filters?: string;
}

/** The text a model reads for a Get Many tool. */
export function getManyToolText(text: ToolText): string {
	return [text.what, WINDOW, text.limits, text.filters, ANSWER].filter(Boolean).join(' ');
}

/** The tool-only Description field, for the operations in `show`. */
export function toolDescriptionField(show: Record<string, string[]>, text: string): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: text,
		required: true,
		typeOptions: { rows: 6 },
		description: 'What the model reads about this tool: when to call it, what to send, what comes back',
		displayOptions: { show: { ...show, '@tool': [true] } },
	};
}
