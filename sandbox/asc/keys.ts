// Demo API keys of the App Store Connect emulator. They are public on purpose: the sandbox is a local demo with no
// real credentials, and these keys open nothing but the sandbox. Apple hands out `.p8` files in this same PKCS#8 form.
export const DEMO_ISSUER_ID = '69a6de7e-aaaa-47e3-e053-5b8c7c11a4d1';

/** Team key ("Users and Access > Integrations > Team Keys"): JWT carries `iss` = issuer id. */
export const DEMO_TEAM_KEY = {
  keyId: 'DEMOKEY123',
  privateKey: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTb3aK+0dddoSTWQ6
0KtmLPxFasGSdomzKMgxJYlJOcShRANCAATGhwGz/mahr2PatrAAefzWWX5s6V2E
i4BUoD5fG6Z83EtAurAEHCSN9fwg0JmR3k4IBdTb4Nf4QnYOepMV/7Eq
-----END PRIVATE KEY-----
`,
} as const;

/** Individual key (a user's own key): JWT carries `sub: "user"` and no `iss`. */
export const DEMO_INDIVIDUAL_KEY = {
  keyId: 'DEMOINDIV1',
  privateKey: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWnCnyPwICwOsVzXo
ixXQhJMHWC49ircL2brGN5SBYi+hRANCAAQwzzZJzeygAt0x28+55Uj1v8QeoXGx
rNRKOzQtOBqkMJmxdKUoXM//9gQeBSK638B7of+CBAkwskJhSIiyw2XV
-----END PRIVATE KEY-----
`,
} as const;

/** Vendor number of the demo account, required by `GET /v1/salesReports`. */
export const DEMO_VENDOR_NUMBER = '85012345';
