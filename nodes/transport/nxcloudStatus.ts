import type { StatusInfo } from './apiCall';

/** NXCloud flash-call failure codes (strings), from the provider's wider documentation. */
export const NXCLOUD_CODES: Record<string, StatusInfo> = {
	'1': {
		message: 'NXCloud rejected the App Key or App Secret (code 1)',
		description: 'Check the App Key and App Secret of the flash-call application in the NXCloud API credential.',
	},
	'2': {
		message: 'The NXCloud application is disabled (code 2)',
		description: 'Enable the flash-call application in the NXCloud console.',
	},
	'3': {
		message: 'Too many requests for this NXCloud application (code 3)',
		description: 'Requests were slowed down and retried. Lower "Max Parallel Requests" or run again later.',
		retryable: true,
	},
	'4': {
		message: 'The NXCloud account has no balance (code 4)',
		description: 'Top up the account in the NXCloud console.',
	},
	'5': {
		message: 'NXCloud reported a bad phone number (code 5)',
		description: 'Check the number passed to the request.',
	},
	'6': {
		message: 'Too many requests for one phone number (code 6)',
		description: 'Wait a while before querying this number again.',
	},
	'7': {
		message: 'NXCloud rejected the date format (code 7)',
		description: 'Start and end must be "yyyy-MM-dd HH:mm:ss". Check Start Time and End Time.',
	},
	'8': {
		message: 'The country is not enabled for this NXCloud application (code 8)',
		description: 'Enable the country for the flash-call application in the NXCloud console.',
	},
};

export function describeNxCloudCode(code: string): StatusInfo {
	return (
		NXCLOUD_CODES[code] ?? {
			message: `NXCloud answered code ${code}`,
			description: 'This code is not in the provider documentation. Check the request and contact NXCloud if it persists.',
		}
	);
}
