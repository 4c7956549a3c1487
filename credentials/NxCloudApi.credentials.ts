import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { FLASH_CALL_PATHS, NXCLOUD_DEFAULT_BASE_URL } from '../nodes/transport/nxcloudApi';
import { NXCLOUD_CODES } from '../nodes/transport/nxcloudStatus';

export class NxCloudApi implements ICredentialType {
	name = 'nxCloudApi';

	displayName = 'NXCloud API';

	// The Flash Call CDRs icon: NXCloud's only node.
	icon: Icon = { light: 'file:../nodes/FlashCallCdrs/flashCallCdrs.svg', dark: 'file:../nodes/FlashCallCdrs/flashCallCdrs.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-call-records/n8n-nodes-call-records/blob/main/docs/credentials.md#nxcloud-api';

	properties: INodeProperties[] = [
		// The app key names the application, like a user name; the App Secret below is what is masked.
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
			description: 'App key of the flash-call application in the NXCloud console',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Secret key of the flash-call application',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: NXCLOUD_DEFAULT_BASE_URL,
		},
		{
			displayName: 'API Time Zone',
			name: 'timeZone',
			type: 'string',
			default: 'Asia/Shanghai',
			placeholder: 'Asia/Shanghai',
			description:
				'IANA time zone of the times NXCloud reads and writes as "yyyy-MM-dd HH:mm:ss" (its documents do not say; China Standard Time is assumed)',
		},
	];

	// The parameter tables and SDKs name the secret `secretkey`, the example URLs `appsecret`:
	// both are sent, so either spelling the server reads finds it.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			qs: {
				appkey: '={{ $credentials.appKey }}',
				secretkey: '={{ $credentials.appSecret }}',
				appsecret: '={{ $credentials.appSecret }}',
			},
		},
	};

	/** One list query for the last minute: cheap, and fails with the meaning of any failure code. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ($credentials.baseUrl || "${NXCLOUD_DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}`,
			url: FLASH_CALL_PATHS[0],
			method: 'GET',
			qs: {
				start: '={{ $now.setZone($credentials.timeZone || "Asia/Shanghai").minus({ minutes: 1 }).toFormat("yyyy-MM-dd HH:mm:ss") }}',
				end: '={{ $now.setZone($credentials.timeZone || "Asia/Shanghai").toFormat("yyyy-MM-dd HH:mm:ss") }}',
			},
		},
		rules: Object.entries(NXCLOUD_CODES).map(([code, info]) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'code', value: code, message: `${info.message}. ${info.description}` },
		})),
	};
}
