// Users, API tokens and the workshops registry (docs/access.md):
//   GET    /api/users                          every user (manage_users)
//   POST   /api/users                          { username, role, workshops?, villages?, password? } → 201 { user, one_time_password }
//   PATCH  /api/users/:user_id                 { role?, workshops?, villages?, disabled? } → { user }; never the last admin
//   POST   /api/users/:user_id/password-reset  → { one_time_password } (to be changed at the next login)
//   GET    /api/tokens[?user_id=]              the caller's API tokens (an admin may name another user)
//   POST   /api/tokens                         { name } → 201 { id, name, token, created_at_ms }: the token is shown once
//   DELETE /api/tokens/:token_id               one's own token (an admin: anyone's)
//   GET    /api/workshops                      the registry entries the caller sees
//   PUT    /api/workshops/:workshop            { name, village } (manage_users)
//   DELETE /api/workshops/:workshop            (manage_users)
// Secrets are never listed: a token or a one-time password appears in the one answer that made it.
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { AccessService } from '../access/service.ts';
import type { TokenRecord } from '../access/store.ts';
import { inScope, may, ROLES } from '../domain/access/roles.ts';
import type { ZodApp } from './app-types.ts';
import { errors, idSchema, list, workshopParams } from './schemas/common.ts';

const user = z.object({
  id: z.string(), username: z.string(), role: z.enum(ROLES), workshops: list(z.string()), villages: list(z.string()),
  must_change_password: z.boolean(), password_changed_at_ms: z.number(), created_at_ms: z.number(), disabled_at_ms: z.number().nullable(),
});
const village = z.string().trim().min(1).max(120);
const newUser = z.object({
  username: z.string().min(1).max(40), role: z.enum(ROLES),
  workshops: z.array(idSchema).max(500).optional(), villages: z.array(village).max(100).optional(),
  password: z.string().max(200).optional().describe('Without one, a one-time password is made and returned once'),
});
const userPatch = z.object({
  role: z.enum(ROLES).optional(), workshops: z.array(idSchema).max(500).optional(), villages: z.array(village).max(100).optional(), disabled: z.boolean().optional(),
});
const userParams = z.object({ user_id: z.string().min(1).max(80) });
const token = z.object({ id: z.string(), user_id: z.string(), name: z.string(), created_at_ms: z.number(), revoked_at_ms: z.number().nullable() });
const tokenParams = z.object({ token_id: z.string().min(1).max(80) });
const workshop = z.object({ id: z.string(), name: z.string(), village: z.string() });
const workshopBody = z.object({ name: z.string().trim().min(1).max(120), village: z.string().trim().min(1).max(120) });

const tokenView = ({ sha256: _s, ...t }: TokenRecord) => t;

export const accessRoutes = fp(async (app: ZodApp, opts: { access: AccessService }) => {
  const access = opts.access;
  const tags = ['access'];

  app.get('/api/users', {
    config: { access: 'manage_users' },
    schema: { tags, summary: 'Every user, with role, workshops and villages', response: { 200: z.object({ users: list(user) }) } },
  }, async () => ({ users: access.users().map(({ password_hash: _h, ...u }) => u) }));

  app.post('/api/users', {
    config: { access: 'manage_users' },
    schema: {
      tags, summary: 'Add a user; without a password a one-time one is returned (once)',
      body: newUser, response: { 201: z.object({ user, one_time_password: z.string().nullable() }), ...errors(400, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await access.createUser(req.body)));

  app.patch('/api/users/:user_id', {
    config: { access: 'manage_users' },
    schema: {
      tags, summary: 'Change a user\'s role, workshops, villages, or disable them (never the last admin)',
      params: userParams, body: userPatch, response: { 200: z.object({ user }), ...errors(400, 404, 409) },
    },
  }, async (req) => ({ user: access.updateUser(req.params.user_id, req.body) }));

  app.post('/api/users/:user_id/password-reset', {
    config: { access: 'manage_users' },
    schema: {
      tags, summary: 'Reset a user\'s password to a one-time one (returned once; their sessions end)',
      params: userParams, response: { 200: z.object({ one_time_password: z.string() }), ...errors(400, 404) },
    },
  }, async (req) => ({ one_time_password: (await access.setPassword(req.params.user_id, null)).one_time_password! }));

  app.get('/api/tokens', {
    config: { access: 'user' },
    schema: {
      tags, summary: 'The caller\'s API tokens (an admin may ask for another user\'s); never the token itself',
      querystring: z.object({ user_id: z.string().min(1).max(80).optional() }), response: { 200: z.object({ tokens: list(token) }), ...errors(400) },
    },
  }, async (req) => {
    const p = req.principal!;
    // Anyone but a user manager sees their own tokens whatever they ask for.
    const owner = req.query.user_id !== undefined && may(p, 'manage_users') ? req.query.user_id : p.user_id;
    return { tokens: access.tokens(owner).map(tokenView) };
  });

  app.post('/api/tokens', {
    config: { access: 'user' },
    schema: {
      tags, summary: 'Make an API token for the caller (Authorization: Bearer …); shown once',
      body: z.object({ name: z.string().trim().min(1).max(80) }),
      response: { 201: z.object({ id: z.string(), name: z.string(), token: z.string(), created_at_ms: z.number() }), ...errors(400) },
    },
  }, async (req, reply) => {
    const { token: secret, record } = access.createToken(req.principal!.user_id, req.body.name);
    return reply.code(201).send({ id: record.id, name: record.name, token: secret, created_at_ms: record.created_at_ms });
  });

  app.delete('/api/tokens/:token_id', {
    config: { access: 'user' },
    schema: { tags, summary: 'Revoke an API token (one\'s own; an admin: anyone\'s)', params: tokenParams, response: { 200: z.object({ ok: z.literal(true) }), ...errors(400, 404) } },
  }, async (req, reply) => {
    const p = req.principal!;
    const t = access.tokens().find((x) => x.id === req.params.token_id);
    // Someone else's token answers as a missing one: its existence is not the caller's business.
    if (!t || (t.user_id !== p.user_id && !may(p, 'manage_users'))) return reply.code(404).send({ error: 'not_found', message: `no token ${req.params.token_id}` });
    access.revokeToken(t.id);
    return { ok: true as const };
  });

  app.get('/api/workshops', {
    config: { access: 'user' },
    schema: { tags, summary: 'The workshops the caller sees, with name and village', response: { 200: z.object({ workshops: list(workshop) }) } },
  }, async (req) => ({ workshops: access.workshops().filter((w) => inScope(req.scope, w.id)).map(({ id, name, village: v }) => ({ id, name, village: v })) }));

  app.put('/api/workshops/:workshop', {
    config: { access: 'manage_users' },
    schema: { tags, summary: 'Add or rename a workshop in the registry (its village makes it an adviser\'s)', params: workshopParams, body: workshopBody, response: { 200: workshop, ...errors(400) } },
  }, async (req) => {
    const w = access.putWorkshop({ id: req.params.workshop, ...req.body });
    return { id: w.id, name: w.name, village: w.village };
  });

  app.delete('/api/workshops/:workshop', {
    config: { access: 'manage_users' },
    schema: { tags, summary: 'Remove a workshop from the registry (its readings and records stay)', params: workshopParams, response: { 200: z.object({ ok: z.literal(true) }), ...errors(400, 404) } },
  }, async (req) => {
    access.deleteWorkshop(req.params.workshop);
    return { ok: true as const };
  });
}, { name: 'access-routes' });
