/** The call-center endpoint's coded fields and their documented meanings. */
export const HANGUP_REASONS: Record<number, string> = {
	0: 'Outgoing call not answered',
	1: 'Outgoing call hung up',
	2: 'Transfer ringing and hanging up',
	3: 'Transfer successful, hanging up',
	4: 'Call failed',
	5: 'Called operator has no service',
	6: 'Called party is not in the service area',
	7: 'Called party is busy',
	8: 'Incoming call not answered',
	9: 'Incoming call hung up',
};

/**
 * The labels of 0.1.0, which paraphrased the document: a trigger's Only Hang-Up Reasons saved
 * with one of them still matches its code.
 */
export const FORMER_HANGUP_REASON_LABELS: Record<string, string> = {
	'transfer ringing, hung up': '2',
	'transfer successful, hung up': '3',
	'called party not in service area': '6',
	'called party busy': '7',
};

export const CALL_TYPES: Record<number, string> = {
	1: 'Group call transferred to agent',
	2: 'Incoming call',
	3: 'Outgoing call',
};

export const HANGING_DIRECTIONS: Record<number, string> = {
	0: 'Customer hung up',
	1: 'Agent hung up',
	3: 'None',
};

/** n8n options for a multi-select of coded values, labelled "label (code)". */
export function codeOptions(codes: Record<number, string>) {
	return Object.entries(codes).map(([value, name]) => ({ name: `${name} (${value})`, value: Number(value) }));
}
