/**
 * The sync server's HTTP API (Hono). Everything under /api/ except creating an account and
 * signing in needs a device token (`Authorization: Bearer …`). Errors are JSON `{ "error": "…" }`
 * in words. CORS is allowed for the app's own origin only (`corsOrigin`), when it differs.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { MAX_BODY_BYTES, PULL_PAGE, parsePushRequest } from '../src/lib/core/sync';
import type { Db } from './db';
import {
	HttpError,
	authenticate,
	createAccount,
	getMedia,
	listDevices,
	missingMedia,
	pull,
	push,
	putMedia,
	revokeDevice,
	signIn
} from './store';

export const MAX_MEDIA_BYTES = 50 * 1024 * 1024;

export interface AppOptions {
	db: Db;
	/** The app's origin when it is served from elsewhere (e.g. https://recall.example.org). */
	corsOrigin?: string;
	now?: () => number;
	/** Tests: called after a push has committed, before the reply is sent. */
	afterPushCommit?: () => void;
}

function tooLarge(limit: number) {
	return (c: Context) =>
		c.json(
			{ error: `The request body is larger than ${Math.round(limit / 1024 / 1024)} MB.` },
			413
		);
}

async function jsonBody(c: Context): Promise<unknown> {
	try {
		return await c.req.json();
	} catch {
		throw new HttpError(400, 'The body is not valid JSON.');
	}
}

export function createApp({ db, corsOrigin, now = Date.now, afterPushCommit }: AppOptions): Hono {
	const app = new Hono();
	if (corsOrigin) {
		app.use(
			'/api/*',
			cors({
				origin: corsOrigin,
				allowHeaders: ['Authorization', 'Content-Type'],
				allowMethods: ['GET', 'POST', 'PUT', 'DELETE']
			})
		);
	}
	app.use(
		'/api/media/*',
		bodyLimit({ maxSize: MAX_MEDIA_BYTES, onError: tooLarge(MAX_MEDIA_BYTES) })
	);
	app.use('/api/*', async (c, next) => {
		if (c.req.path.startsWith('/api/media/')) return next();
		return bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge(MAX_BODY_BYTES) })(c, next);
	});
	app.onError((e, c) => {
		if (e instanceof HttpError) {
			if (e.status === 429 && typeof e.extra.retryAfter === 'number')
				c.header('Retry-After', String(e.extra.retryAfter));
			return c.json({ error: e.message, ...e.extra }, e.status);
		}
		console.error('sync server:', e);
		return c.json({ error: 'The server failed to do this; try again later.' }, 500);
	});
	app.notFound((c) =>
		c.req.path.startsWith('/api/')
			? c.json({ error: `No such endpoint: ${c.req.method} ${c.req.path}` }, 404)
			: c.text('Not found', 404)
	);

	const auth = (c: Context) => authenticate(db, c.req.header('Authorization'));

	app.get('/api/health', (c) => c.json({ ok: true, serverTime: now() }));
	app.post('/api/account', async (c) =>
		c.json(await createAccount(db, await jsonBody(c), now()), 201)
	);
	app.post('/api/login', async (c) => c.json(await signIn(db, await jsonBody(c), now())));
	app.post('/api/logout', async (c) => {
		const who = await auth(c);
		await revokeDevice(db, who, who.deviceId);
		return c.body(null, 204);
	});
	app.get('/api/devices', async (c) => c.json({ devices: await listDevices(db, await auth(c)) }));
	app.delete('/api/devices/:id', async (c) => {
		await revokeDevice(db, await auth(c), c.req.param('id'));
		return c.body(null, 204);
	});
	app.post('/api/push', async (c) => {
		const who = await auth(c);
		const parsed = parsePushRequest(await jsonBody(c));
		if (!parsed.ok)
			throw new HttpError(
				400,
				`The batch was refused whole, nothing was written: ${parsed.error}.`
			);
		const { records, epoch } = parsed.request;
		return c.json(await push(db, who, records, epoch, now(), afterPushCommit));
	});
	app.get('/api/pull', async (c) => {
		const who = await auth(c);
		const after = Number(c.req.query('after') ?? 0);
		const limit = Number(c.req.query('limit') ?? PULL_PAGE);
		if (!Number.isSafeInteger(after) || after < 0)
			throw new HttpError(400, 'after must be a whole number ≥ 0.');
		if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) {
			throw new HttpError(400, 'limit must be a whole number from 1 to 10000.');
		}
		c.header('Content-Type', 'application/json; charset=utf-8');
		return c.body(await pull(db, who, after, limit, now()));
	});
	app.post('/api/media/missing', async (c) => {
		const who = await auth(c);
		const body = (await jsonBody(c)) as { hashes?: unknown } | null;
		return c.json({ missing: await missingMedia(db, who, body?.hashes) });
	});
	app.put('/api/media/:hash', async (c) => {
		const who = await auth(c);
		const data = new Uint8Array(await c.req.arrayBuffer());
		await putMedia(db, who, c.req.param('hash'), c.req.header('Content-Type') ?? '', data, now());
		return c.body(null, 201);
	});
	app.get('/api/media/:hash', async (c) => {
		const file = await getMedia(db, await auth(c), c.req.param('hash'));
		c.header('Content-Type', file.type);
		c.header('Cache-Control', 'private, max-age=31536000, immutable');
		return c.body(file.data as Uint8Array<ArrayBuffer>);
	});
	return app;
}
