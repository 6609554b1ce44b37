/**
 * The service root (answered without authentication: sushy reads it first
 * to find the SessionService), SessionService with its Sessions, and the
 * TaskService with the tasks and their monitors.
 */
import { noValidSession, propertyMissing, resourceNotFound } from '../errors.ts';
import { asObject, collection, link } from '../router.ts';
import type { Route } from '../router.ts';
import { ROOT } from '../service.ts';
import type { RedfishService } from '../service.ts';
import { SESSIONS_PATH } from '../sessions.ts';
import { TASKS_PATH } from '../tasks.ts';

export function serviceRootRoutes(service: RedfishService): Route[] {
  return [
    {
      template: ROOT,
      methods: {
        GET: () => ({
          status: 200,
          body: {
            '@odata.id': `${ROOT}/`,
            '@odata.type': '#ServiceRoot.v1_15_0.ServiceRoot',
            Id: 'RootService',
            Name: 'Ferrite Redfish emulator',
            RedfishVersion: '1.15.0',
            UUID: '5f3a0000-0000-4000-8000-ffffffffffff',
            Systems: link(`${ROOT}/Systems`),
            Managers: link(`${ROOT}/Managers`),
            Chassis: link(`${ROOT}/Chassis`),
            SessionService: link(`${ROOT}/SessionService`),
            TaskService: link(`${ROOT}/TaskService`),
            Links: { Sessions: link(SESSIONS_PATH) },
          },
        }),
      },
    },
    {
      template: `${ROOT}/SessionService`,
      methods: {
        GET: () => ({
          status: 200,
          body: {
            '@odata.id': `${ROOT}/SessionService`,
            '@odata.type': '#SessionService.v1_1_8.SessionService',
            Id: 'SessionService',
            Name: 'Session Service',
            ServiceEnabled: true,
            SessionTimeout: 1800,
            Sessions: link(SESSIONS_PATH),
          },
        }),
      },
    },
    {
      template: SESSIONS_PATH,
      methods: {
        GET: () => ({
          status: 200,
          body: collection(
            SESSIONS_PATH,
            'SessionCollection',
            'Sessions',
            service.sessions.list().map((session) => `${SESSIONS_PATH}/${session.id}`),
          ),
        }),
        POST: (context) => {
          const body = asObject(context.json()) ?? {};
          if (!('UserName' in body)) throw propertyMissing('UserName');
          if (!('Password' in body)) throw propertyMissing('Password');
          const session = service.sessions.open(body['UserName'], body['Password']);
          if (session === undefined) throw noValidSession();
          const location = `${SESSIONS_PATH}/${session.id}`;
          return {
            status: 201,
            headers: { 'X-Auth-Token': session.token, Location: location },
            body: sessionResource(session.id, session.username),
          };
        },
      },
    },
    {
      template: `${SESSIONS_PATH}/:session`,
      methods: {
        GET: (context) => {
          const session = service.sessions.get(context.params['session'] ?? '');
          if (session === undefined) throw resourceNotFound(context.path);
          return { status: 200, body: sessionResource(session.id, session.username) };
        },
        DELETE: (context) => {
          if (!service.sessions.close(context.params['session'] ?? ''))
            throw resourceNotFound(context.path);
          return { status: 204 };
        },
      },
    },
    {
      template: `${ROOT}/TaskService`,
      methods: {
        GET: () => ({
          status: 200,
          body: {
            '@odata.id': `${ROOT}/TaskService`,
            '@odata.type': '#TaskService.v1_2_0.TaskService',
            Id: 'TaskService',
            Name: 'Task Service',
            ServiceEnabled: true,
            Tasks: link(TASKS_PATH),
          },
        }),
      },
    },
    {
      template: TASKS_PATH,
      methods: {
        GET: () => ({
          status: 200,
          body: collection(
            TASKS_PATH,
            'TaskCollection',
            'Tasks',
            service.tasks.list().map((task) => `${TASKS_PATH}/${task.id}`),
          ),
        }),
      },
    },
    {
      template: `${TASKS_PATH}/:task`,
      methods: {
        GET: (context) => {
          const task = service.tasks.get(context.params['task'] ?? '');
          if (task === undefined) throw resourceNotFound(context.path);
          return { status: 200, body: service.tasks.resource(task) };
        },
      },
    },
    {
      template: `${TASKS_PATH}/:task/Monitor`,
      methods: {
        GET: (context) => {
          const task = service.tasks.get(context.params['task'] ?? '');
          if (task === undefined) throw resourceNotFound(context.path);
          return service.tasks.poll(task);
        },
      },
    },
  ];
}

function sessionResource(id: string, username: string): unknown {
  return {
    '@odata.id': `${SESSIONS_PATH}/${id}`,
    '@odata.type': '#Session.v1_6_0.Session',
    Id: id,
    Name: `Session ${id}`,
    UserName: username,
  };
}
