import { OpenAPIHono, z } from '@hono/zod-openapi';
import { TENANT_ROLES } from '../../operations/permissions.ts';
import { inviteMember } from '../../operations/invitations/invite-member.ts';
import { listInvitations } from '../../operations/invitations/list-invitations.ts';
import { revokeInvitation } from '../../operations/invitations/revoke-invitation.ts';
import { addMember } from '../../operations/members/add-member.ts';
import { changeMemberRole } from '../../operations/members/change-member-role.ts';
import { listMembers } from '../../operations/members/list-members.ts';
import { removeMember } from '../../operations/members/remove-member.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const roleSchema = z.enum(TENANT_ROLES);
const memberSchema = z
  .object({ userId: z.string(), email: z.string(), name: z.string(), role: roleSchema, disabled: z.boolean(), memberSince: z.string() })
  .openapi('Member');
const invitationSchema = z
  .object({ id: z.string(), email: z.string(), role: roleSchema, invitedBy: z.string(), createdAt: z.string(), expiresAt: z.string(), expired: z.boolean() })
  .openapi('Invitation');

const memberParams = tenantParams.extend({ userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' } }) });
const invitationParams = tenantParams.extend({ invitationId: z.uuid().openapi({ param: { name: 'invitationId', in: 'path' } }) });
const MEMBERS = ['Members'];

const listRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/members',
  operationId: 'listMembers',
  tags: MEMBERS,
  summary: 'The site’s members and their roles',
  request: { params: tenantParams },
  responses: { 200: jsonResponse(z.object({ items: z.array(memberSchema), nextCursor: z.null() }), 'Members, by email.'), ...PROBLEM_RESPONSES },
});

const addRoute = signedInRoute({
  method: 'post',
  path: '/tenants/{tenant}/members',
  operationId: 'addMember',
  tags: MEMBERS,
  summary: 'Put an existing account on the site (platform staff)',
  description: 'Members invite by email instead: adding directly would tell them which addresses have accounts.',
  request: { params: tenantParams, body: jsonBody(addMember.input, { email: 'editor@bakery.example', role: 'editor' }) },
  responses: {
    201: jsonResponse(z.object({ userId: z.string(), email: z.string(), role: roleSchema }), 'Added.'),
    ...PROBLEM_RESPONSES,
  },
});

const changeRoleRoute = signedInRoute({
  method: 'patch',
  path: '/tenants/{tenant}/members/{userId}',
  operationId: 'changeMemberRole',
  tags: MEMBERS,
  summary: 'Give a member another role',
  description: 'Never above the caller’s own role; owners only by owners; the last owner stays owner (`409`).',
  request: { params: memberParams, body: jsonBody(changeMemberRole.input.omit({ userId: true }), { role: 'admin' }) },
  responses: {
    200: jsonResponse(z.object({ userId: z.string(), email: z.string(), role: roleSchema, changed: z.boolean() }), 'The member’s role now.'),
    ...PROBLEM_RESPONSES,
  },
});

const removeRoute = signedInRoute({
  method: 'delete',
  path: '/tenants/{tenant}/members/{userId}',
  operationId: 'removeMember',
  tags: MEMBERS,
  summary: 'Take a member off the site',
  request: { params: memberParams },
  responses: { 204: { description: 'Removed.' }, ...PROBLEM_RESPONSES },
});

const listInvitationsRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/invitations',
  operationId: 'listInvitations',
  tags: MEMBERS,
  summary: 'Open invitations',
  request: { params: tenantParams },
  responses: { 200: jsonResponse(z.object({ items: z.array(invitationSchema), nextCursor: z.null() }), 'Newest first.'), ...PROBLEM_RESPONSES },
});

const inviteRoute = signedInRoute({
  method: 'post',
  path: '/tenants/{tenant}/invitations',
  operationId: 'inviteMember',
  tags: MEMBERS,
  summary: 'Invite someone by email',
  description:
    'The link is mailed. Without SMTP it is returned here as `link`, to the inviter only. A new invitation for the same address replaces the open one.',
  request: { params: tenantParams, body: jsonBody(inviteMember.input, { email: 'new.editor@bakery.example', role: 'editor' }) },
  responses: { 201: jsonResponse(z.object({ invitation: invitationSchema, link: z.string().nullable() }), 'Invited.'), ...PROBLEM_RESPONSES },
});

const revokeInvitationRoute = signedInRoute({
  method: 'delete',
  path: '/tenants/{tenant}/invitations/{invitationId}',
  operationId: 'revokeInvitation',
  tags: MEMBERS,
  summary: 'Withdraw an invitation',
  request: { params: invitationParams },
  responses: { 204: { description: 'Withdrawn; its link no longer works.' }, ...PROBLEM_RESPONSES },
});

/** A site's members and its open invitations. */
export function membersResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(listRoute, async (c) => c.json({ items: await run(c, listMembers, {}, c.req.valid('param').tenant), nextCursor: null }, 200));
  app.openapi(addRoute, async (c) => c.json(await run(c, addMember, c.req.valid('json'), c.req.valid('param').tenant), 201));
  app.openapi(changeRoleRoute, async (c) => {
    const { tenant, userId } = c.req.valid('param');
    return c.json(await run(c, changeMemberRole, { ...c.req.valid('json'), userId }, tenant), 200);
  });
  app.openapi(removeRoute, async (c) => {
    const { tenant, userId } = c.req.valid('param');
    await run(c, removeMember, { userId }, tenant);
    return c.body(null, 204);
  });
  app.openapi(listInvitationsRoute, async (c) => c.json({ items: await run(c, listInvitations, {}, c.req.valid('param').tenant), nextCursor: null }, 200));
  app.openapi(inviteRoute, async (c) => c.json(await run(c, inviteMember, c.req.valid('json'), c.req.valid('param').tenant), 201));
  app.openapi(revokeInvitationRoute, async (c) => {
    const { tenant, invitationId } = c.req.valid('param');
    await run(c, revokeInvitation, { invitationId }, tenant);
    return c.body(null, 204);
  });
  return app;
}
