/** A tiny cookie-keeping HTTP client for integration tests, posting forms as a browser would. */
export class FormClient {
  readonly base: string;
  readonly cookies = new Map<string, string>();

  constructor(base: string) {
    this.base = base;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expires = Date.parse(/Expires=([^;]+)/i.exec(line)?.[1] ?? '');
      if (/Max-Age=0/i.test(line) || expires < Date.now() || value.join('=') === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
    return res;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** POSTs urlencoded fields from this site's own origin (or another, to test CSRF refusal). */
  post(path: string, fields: Record<string, string>, origin = this.base): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** POSTs a multipart form (file uploads) from this site's origin. */
  postMultipart(path: string, form: FormData): Promise<Response> {
    return this.request(path, { method: 'POST', headers: { origin: this.base }, body: form });
  }

  async signIn(username: string, password: string): Promise<Response> {
    return this.post('/login', { username, password });
  }
}
