// A real OpenID Connect provider for the tests: node `oidc-provider` (panva, the
// OpenID-certified implementation), with a small login page of its own. Started by
// tests/oidc/conftest.py; configured by the environment:
//   OP_PORT      the port (the issuer is http://127.0.0.1:<port>)
//   OP_CLIENTS   JSON: the registered clients (client_id, client_secret, redirect_uris)
//   OP_ACCOUNTS  JSON: login → claims (email, email_verified, name); an account with
//                "tamper": "aud" or "iss" gets its ID tokens re-signed with another
//                audience or issuer, as a token minted for someone else would carry
//                (the relying party must refuse it)
// PKCE is required of every client. The login page asks for an account and whether a
// second factor was used; the ID token's "amr" says so (RFC 8176: ["pwd", "mfa"]).
import http from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OP_ACCOUNTS || '{}');

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: JSON.parse(process.env.OP_CLIENTS || '[]'),
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  claims: {
    openid: ['sub', 'amr'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  conformIdTokenClaims: false,
  cookies: { keys: ['test-only-cookie-key'] },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    const { tamper, ...claims } = accounts[id];
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

// The tamper mode: the token endpoint's ID token, re-signed with the provider's own
// key and a wrong audience or issuer.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !ctx.body || !ctx.body.id_token) return;
  const claims = jose.decodeJwt(ctx.body.id_token);
  const tamper = (accounts[claims.sub] || {}).tamper;
  if (tamper) {
    if (tamper === 'aud') claims.aud = 'another-service';
    if (tamper === 'iss') claims.iss = 'http://127.0.0.1:1/not-the-issuer';
    ctx.body = {
      ...ctx.body,
      id_token: await new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .sign(privateKey),
    };
  }
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, client, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Sign in to the test identity provider</h1>
<p>For ${escape(client)}</p>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Account <input name="login" autocomplete="username"></label>
<label><input type="checkbox" name="mfa" value="1"> Second factor used</label>
<button type="submit">Sign in</button></form></main></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    if (action !== 'login') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(uid, params.client_id));
      return;
    }
    const form = await readForm(req);
    const login = form.get('login') || '';
    if (!accounts[login]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(uid, params.client_id, `No account “${login}”.`));
      return;
    }
    const amr = form.get('mfa') ? ['pwd', 'mfa'] : ['pwd'];
    await provider.interactionFinished(req, res, { login: { accountId: login, amr } },
      { mergeWithLastSubmission: false });
    return;
  }
  // Consent: granted for what the client asked (these are the council's own clients).
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const missing = prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } },
    { mergeWithLastSubmission: true });
}

const callback = provider.callback();
http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)(?:\/(login))?/);
  if (!match) return callback(req, res);
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (error) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`interaction failed: ${error.message}`);
  }
}).listen(port, '127.0.0.1', () => console.log(`listening on ${issuer}`));
