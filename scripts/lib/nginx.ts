import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/lib/db/index.ts';
import { freePort } from './freePort.ts';

/** Debian's nginx, as `.ci/run` installs it. */
export const NGINX = '/usr/sbin/nginx';

/** The deployment's nginx configuration, with {{PLACEHOLDERS}} (docs/OPERATIONS.md#nginx). */
export const NGINX_CONF = join(projectRoot(), 'docs', 'nginx', 'xiangxin.conf');

export interface RunningNginx {
  /** https://127.0.0.1:PORT, answered by nginx with the generated certificate. */
  httpsUrl: string;
  /** http://127.0.0.1:PORT, which only redirects. */
  httpUrl: string;
  /** The self-signed certificate (PEM), for clients to trust. */
  certificate: string;
  errorLog: () => string;
  stop: () => Promise<void>;
}

/** The configuration file with each {{NAME}} replaced; an unknown or missing name is an error. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for {{${name}}} in ${NGINX_CONF}`);
    return value;
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Runs docs/nginx/xiangxin.conf as an unprivileged user in `dir` (its own certificate for
 * `localhost`, cache, temporary files, pid and log), in front of the portal at `app`
 * (`127.0.0.1:PORT`), on free ports of 127.0.0.1.
 */
export async function startNginx(app: string, dir: string): Promise<RunningNginx> {
  mkdirSync(dir, { recursive: true });
  const certificate = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost'].concat([
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      certificate,
    ]),
    { stdio: 'ignore' },
  );
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const site = fillTemplate(readFileSync(NGINX_CONF, 'utf8'), {
    CACHE_DIR: join(dir, 'cache'),
    APP: app,
    HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
    HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    SERVER_NAME: 'localhost',
    CERTIFICATE: certificate,
    CERTIFICATE_KEY: key,
  });
  writeFileSync(join(dir, 'xiangxin.conf'), site);
  // What Debian's /etc/nginx/nginx.conf holds around the site, with every path in `dir`: the
  // compiled-in ones under /var are not writable without root.
  // Started as root (CI), nginx would run its workers as nobody, who cannot enter `dir`.
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : '';
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${join(dir, kind)};`).join('\n  ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${user}worker_processes 1;\nevents { worker_connections 512; }\nhttp {\n  access_log off;\n  ${temp}\n  include ${join(dir, 'xiangxin.conf')};\n}\n`,
  );
  const errorLog = join(dir, 'error.log');
  const child = spawn(NGINX, ['-p', dir, '-e', errorLog, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const readLog = () => output + (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await listening(httpsPort))) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${readLog()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not listen on ${httpsPort}:\n${readLog()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    httpsUrl: `https://127.0.0.1:${httpsPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    certificate: readFileSync(certificate, 'utf8'),
    errorLog: readLog,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
