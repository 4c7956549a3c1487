import type { StatusInfo } from './apiCall';

/**
 * Every status code the ITNIO Tech / Laaffic documents list, with what it means and what the
 * user can do about it. `retryable` marks the ones a later attempt can fix by itself.
 */
export const PLATFORM_STATUS: Record<string, StatusInfo> = {
	'-1': {
		message: 'Authentication failed (status -1)',
		description:
			'The provider rejected the signature. Check the API Key and API Secret in the credential and that its Platform is the one the key belongs to.',
	},
	'-2': {
		message: 'Access from this IP address is restricted (status -2)',
		description: "Allow the n8n host's public IP address in the provider's console, or ask the provider to lift the restriction.",
	},
	'-16': {
		message: 'Request timestamp rejected (status -16)',
		description:
			"The n8n host's clock is off by more than the provider allows (about 5 minutes). Synchronise the host's clock (for example with NTP) and run again.",
		retryOnce: true,
	},
	'-18': {
		message: 'The provider reported a system anomaly (status -18)',
		description: 'A temporary fault on the provider side. It was retried; if it persists, run again later.',
		retryable: true,
	},
	'-20': {
		message: 'The provider reported that the data already exists (status -20)',
		description: 'Check the query parameters; if it persists, contact the provider.',
	},
	'-22': {
		message: 'The provider rejected a parameter (status -22)',
		description: 'Check Start Time, End Time and the filters: the window must be valid and page sizes between 1 and 100.',
	},
	'-23': {
		message: 'The provider reported a data cap (status -23)',
		description: 'The query asks for more data than the account may read at once. Narrow the time window or the filters.',
	},
	'-25': {
		message: 'The time window is out of the range the provider serves (status -25)',
		description: 'Move Start Time and End Time into the period the provider allows for this endpoint.',
	},
	'-29': {
		message: 'The workspace is disabled (status -29)',
		description: "Enable the workspace in the provider's console or contact the provider.",
	},
	'-30': {
		message: 'The API key is disabled (status -30)',
		description: "Enable the API key in the provider's console, or create a new one and update the credential.",
	},
	'-31': {
		message: "The n8n host's IP address is not in the API whitelist (status -31)",
		description: "Add the n8n host's public IP address to the API whitelist in the provider's console.",
	},
	'-76': {
		message: 'The time window is longer than the provider allows (status -76)',
		description: 'The node already splits long windows into parts of 93 days; the provider refused one anyway. Shorten the time window and contact the provider.',
	},
};

export function describePlatformStatus(status: string, reason: string | undefined): StatusInfo {
	const known = PLATFORM_STATUS[status];
	if (known) return known;
	return {
		message: `The provider answered status ${status}${reason ? `: ${reason}` : ''}`,
		description: 'This status is not in the provider documentation. Check the request and contact the provider if it persists.',
	};
}
