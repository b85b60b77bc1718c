/**
 * The sync schema. Built to scale out on a distributed PostgreSQL (Citus distributed by
 * `user_id`, YugabyteDB, CockroachDB) without change — see docs/SCALING.md, and schema.test.ts,
 * which inspects the live catalog for these rules:
 *
 * - every primary key (and every other unique index) starts with `user_id`;
 * - no sequences, identity or serial columns, triggers, LISTEN/NOTIFY or advisory locks;
 * - a user's sequence numbers come from their own account row, reserved inside the push's
 *   transaction (`SELECT … FOR UPDATE`), so they are strictly ordered by commit.
 */
import type { Db } from './db';

export const SCHEMA = `
create table if not exists sync_accounts (
	user_id text primary key,
	name text not null,
	password_hash text not null,
	epoch text not null,
	next_seq bigint not null default 1,
	failed_logins integer not null default 0,
	last_failed_at bigint,
	created_at bigint not null
);
create table if not exists sync_devices (
	user_id text not null,
	device_id text not null,
	token_hash text not null,
	name text not null,
	created_at bigint not null,
	last_sync_at bigint,
	primary key (user_id, device_id)
);
create table if not exists sync_records (
	user_id text not null,
	kind text not null,
	rkey text not null,
	seq bigint not null,
	hlc text collate "C" not null,
	data jsonb not null,
	primary key (user_id, kind, rkey)
);
create unique index if not exists sync_records_by_seq on sync_records (user_id, seq);
create table if not exists sync_media (
	user_id text not null,
	hash text not null,
	type text not null,
	size integer not null,
	data bytea not null,
	created_at bigint not null,
	primary key (user_id, hash)
);
`;

export async function migrate(db: Db): Promise<void> {
	await db.exec(SCHEMA);
}
