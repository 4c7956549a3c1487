import { computeSign, signatureHeaders } from '../../nodes/transport/signature';
import { CallRecordsApi } from '../../credentials/CallRecordsApi.credentials';

describe('signature', () => {
	test('is the lower-case hex md5 of apiKey + apiSecret + timestamp', () => {
		// md5("bDqJFiq9" + "secret" + "1630468800") computed independently with `printf %s ... | md5sum`.
		expect(computeSign('bDqJFiq9', 'secret', '1630468800')).toBe('5e05d651d20b87515084ccf02b24c04f');
		expect(computeSign('k', 's', '1')).toBe('8eac55142e82141aaecc68fd307c94c2');
	});

	test('headers carry the timestamp in seconds and a matching sign', () => {
		const headers = signatureHeaders('key', 'secret', 1_700_000_000_999);
		expect(headers).toEqual({ Timestamp: '1700000000', 'Api-Key': 'key', Sign: computeSign('key', 'secret', '1700000000') });
	});

	test('the credential signs every request afresh', async () => {
		const credential = new CallRecordsApi();
		const creds = { apiKey: 'key', apiSecret: 'secret' };
		const spy = jest.spyOn(Date, 'now');
		spy.mockReturnValue(1_700_000_000_000);
		const first = await credential.authenticate(creds, { url: '/x', headers: { A: '1' } });
		spy.mockReturnValue(1_700_000_100_000);
		const second = await credential.authenticate(creds, { url: '/x' });
		spy.mockRestore();
		expect(first.headers).toMatchObject({ A: '1', Timestamp: '1700000000', 'Api-Key': 'key' });
		expect(second.headers).toMatchObject({ Timestamp: '1700000100' });
		expect(first.headers!.Sign).not.toBe(second.headers!.Sign);
	});
});
