// A strict, OpenID-certified provider (oidc-provider) for the generic OIDC sign-in tests.
// One confidential client (secret, PKCE required) whose redirect URI is the blog's callback;
// the development login and consent forms accept any login. Prints its issuer once ready.
import http from 'node:http';
import Provider from 'oidc-provider';

const redirectUri = process.env.REDIRECT_URI;
if (!redirectUri) {
  console.error('REDIRECT_URI is required');
  process.exit(2);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  // Served as "localhost" while the blog runs on 127.0.0.1, so they never share cookies.
  const issuer = `http://localhost:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: process.env.CLIENT_ID || 'quire',
        client_secret: process.env.CLIENT_SECRET || 'quire-secret',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'picture'],
    },
    cookies: { keys: ['quire-test-cookie-key'] },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: `${id}@example.org`,
            email_verified: true,
            name: `Reader ${id}`,
            picture: `https://avatars.invalid/${id}.png`,
          };
        },
      };
    },
  });
  server.on('request', provider.callback());
  console.log(`ISSUER ${issuer}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
