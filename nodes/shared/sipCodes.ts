/** Standard SIP response reason phrases (RFC 3261 and its extensions) for final call outcomes. */
export const SIP_REASON_PHRASES: Record<string, string> = {
	'200': 'OK (answered)',
	'400': 'Bad Request',
	'401': 'Unauthorized',
	'402': 'Payment Required',
	'403': 'Forbidden',
	'404': 'Not Found',
	'405': 'Method Not Allowed',
	'407': 'Proxy Authentication Required',
	'408': 'Request Timeout',
	'410': 'Gone',
	'413': 'Request Entity Too Large',
	'415': 'Unsupported Media Type',
	'416': 'Unsupported URI Scheme',
	'420': 'Bad Extension',
	'480': 'Temporarily Unavailable',
	'481': 'Call/Transaction Does Not Exist',
	'482': 'Loop Detected',
	'483': 'Too Many Hops',
	'484': 'Address Incomplete',
	'485': 'Ambiguous',
	'486': 'Busy Here',
	'487': 'Request Terminated',
	'488': 'Not Acceptable Here',
	'491': 'Request Pending',
	'500': 'Server Internal Error',
	'501': 'Not Implemented',
	'502': 'Bad Gateway',
	'503': 'Service Unavailable',
	'504': 'Server Time-out',
	'505': 'Version Not Supported',
	'513': 'Message Too Large',
	'600': 'Busy Everywhere',
	'603': 'Decline',
	'604': 'Does Not Exist Anywhere',
	'606': 'Not Acceptable',
};

/** The phrase for a SIP code; null when the code is empty or not a standard one. */
export function sipReasonPhrase(code: unknown): string | null {
	if (code === null || code === undefined) return null;
	return SIP_REASON_PHRASES[String(code).trim()] ?? null;
}
