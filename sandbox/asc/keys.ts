// Demo API keys of the App Store Connect emulator. They are public on purpose: the sandbox is a local demo with no
// real credentials, and these keys open nothing but the sandbox. Apple hands out `.p8` files in this same PKCS#8 form.
import { createECDH, createHash, createPrivateKey } from 'node:crypto';

export const DEMO_ISSUER_ID = '69a6de7e-aaaa-47e3-e053-5b8c7c11a4d1';

/**
 * A P-256 private key (PKCS#8 PEM, as Apple's .p8) derived from a public label: the same key on every run and every
 * machine, so saved demo accounts keep working, and no key material in the repository or the .vsix.
 */
function demoKey(label: string): string {
  const d = createHash('sha256').update(`appdesk-sandbox-demo-key:${label}`).digest();
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d); // throws if d were not a valid P-256 scalar (it is, for these labels)
  const point = ecdh.getPublicKey(); // 0x04 ‖ x ‖ y
  const jwk = { kty: 'EC', crv: 'P-256', d: d.toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
  return createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Team key ("Users and Access > Integrations > Team Keys"): JWT carries `iss` = issuer id. */
export const DEMO_TEAM_KEY = { keyId: 'DEMOKEY123', privateKey: demoKey('team') } as const;

/** Individual key (a user's own key): JWT carries `sub: "user"` and no `iss`. */
export const DEMO_INDIVIDUAL_KEY = { keyId: 'DEMOINDIV1', privateKey: demoKey('individual') } as const;

/** Vendor number of the demo account, required by `GET /v1/salesReports`. */
export const DEMO_VENDOR_NUMBER = '85012345';
