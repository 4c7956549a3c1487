import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { PLATFORMS, baseUrlExpression, numberRecordsPathExpression } from '../nodes/transport/platforms';
import { signatureHeaders } from '../nodes/transport/signature';
import { PLATFORM_STATUS } from '../nodes/transport/platformStatus';

export class CallRecordsApi implements ICredentialType {
	name = 'callRecordsApi';

	displayName = 'Call Records API';

	// The Number Records icon: the same platform.
	icon: Icon = { light: 'file:../nodes/NumberRecords/numberRecords.svg', dark: 'file:../nodes/NumberRecords/numberRecords.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-call-records/n8n-nodes-call-records/blob/main/docs/credentials.md#call-records-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Platform',
			name: 'platform',
			type: 'options',
			options: [
				...Object.entries(PLATFORMS).map(([value, platform]) => ({
					name: platform.name,
					value,
					description: platform.baseUrl,
				})),
				{ name: 'Custom', value: 'custom', description: 'Another brand of the same platform, e.g. Onbuka' },
			],
			default: 'itnio',
			description: 'The brand your API key belongs to',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.onbuka.com',
			description: 'Root address of the API, without a path',
			displayOptions: { show: { platform: ['custom'] } },
		},
		{
			displayName: 'Path Style',
			name: 'pathStyle',
			type: 'options',
			options: [
				{ name: 'With /v3 (Like Laaffic, Onbuka)', value: 'v3' },
				{ name: 'Without /v3 (Like ITNIO Tech)', value: 'legacy' },
			],
			default: 'v3',
			description: 'Whether the number-records path starts with /v3 on this platform',
			displayOptions: { show: { platform: ['custom'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Account Time Zone',
			name: 'timeZone',
			type: 'string',
			default: 'UTC',
			placeholder: 'Asia/Shanghai',
			description:
				'IANA time zone of the account. The API writes some times without an offset (e.g. "2024-01-01 09:00:00"); they are read in this zone and output as ISO 8601.',
		},
		{
			displayName: 'Recording Base URL',
			name: 'recordingBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://files.example.com/recordings',
			description:
				'Only for Download Recordings, when records name their recordings by a relative path (e.g. agent-call-record-250103/25010316113064799.wav): the address those paths are read against. Ask the provider which host serves them.',
		},
		{
			displayName: 'Send API Headers to Recording Base URL',
			name: 'signRecordingHost',
			type: 'boolean',
			default: false,
			description:
				"Whether recording downloads from the Recording Base URL's host carry the API key and signature. Only if that host asks for them. Recordings on the API's own address always carry them; any other host (e.g. a pre-signed storage link) never does.",
		},
		{
			displayName: 'Allow Private-Network Recording Hosts',
			name: 'allowPrivateRecordingHosts',
			type: 'boolean',
			default: false,
			description:
				"Whether Download Recordings may fetch from localhost and private, link-local or CGNAT addresses (e.g. 10.0.0.5, 192.168.1.20, [fd00::1]). Off: a record's recording URL pointing there is refused, as a provider's answer should not reach the n8n host's own networks. Turn on only for self-hosted recording storage. The API's own address and the Recording Base URL's are always allowed.",
		},
	];

	/** Signs each request afresh, so page 500 of a long run carries a current timestamp. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers = signatureHeaders(String(credentials.apiKey ?? ''), String(credentials.apiSecret ?? ''), Date.now());
		return { ...requestOptions, headers: { ...requestOptions.headers, ...headers } };
	}

	/** One signed query for the last minute of number records: cheap, and fails on any documented error status. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(),
			url: numberRecordsPathExpression(),
			method: 'POST',
			headers: { 'Content-Type': 'application/json;charset=UTF-8' },
			body: {
				current: 1,
				size: 1,
				params: {
					strTime: "={{ $now.minus({ minutes: 1 }).toFormat(\"yyyy-MM-dd'T'HH:mm:ssZZ\") }}",
					endTime: "={{ $now.toFormat(\"yyyy-MM-dd'T'HH:mm:ssZZ\") }}",
				},
			},
		},
		// The API answers HTTP 200 with a status in the body; each documented failure gets its own message.
		rules: Object.entries(PLATFORM_STATUS).flatMap(([status, info]) =>
			[status, Number(status)].map((value) => ({
				type: 'responseSuccessBody' as const,
				properties: { key: 'status', value, message: `${info.message}. ${info.description}` },
			})),
		),
	};
}
